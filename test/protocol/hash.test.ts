import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { entryHashOf, keccak256, prepareFastKeccak } from "../../lib/protocol/hash";
import { bytesToHex } from "../../lib/protocol/hex";

/** A deterministic byte source, so that a failure names a reproducible length. */
function bytesOfLength(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = length * 2654435761 + 1;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";

describe("Keccak-256 through hash-wasm", () => {
  it("loads the WebAssembly hasher here", async () => {
    assert.equal(await prepareFastKeccak(), true);
  });

  it("equals @noble/hashes for every message length from 0 to 1,100 bytes (rate 136: several blocks)", async () => {
    await prepareFastKeccak();
    for (let length = 0; length <= 1_100; length++) {
      const data = bytesOfLength(length);
      assert.equal(bytesToHex(keccak256(data)), bytesToHex(keccak_256(data)), `length ${length}`);
    }
  });

  it("gives the same entry hash as hashing the JWS's ASCII bytes with @noble/hashes", async () => {
    await prepareFastKeccak();
    for (let length = 0; length <= 1_100; length += 7) {
      const jws = Array.from(bytesOfLength(length), (b) => BASE64URL[b % BASE64URL.length]).join("");
      assert.equal(entryHashOf(jws), bytesToHex(keccak_256(new TextEncoder().encode(jws))), `length ${length}`);
    }
  });

  it("reproduces Keccak-256 of the empty string (not SHA3-256)", async () => {
    await prepareFastKeccak();
    assert.equal(bytesToHex(keccak256(new Uint8Array(0))), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
  });
});
