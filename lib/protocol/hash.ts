import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex, compareBytes, hashToBytes, type Hash } from "./hex";

const textEncoder = new TextEncoder();

/** Ethereum's Keccak-256 of `data`. */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}

/** The genesis root of a ledger: `keccak256(utf8("sealbook/genesis/v1:" ‖ ledgerId))` (PROTOCOL §3). */
export function genesisRootOf(ledgerId: string): Hash {
  return bytesToHex(keccak256(textEncoder.encode(`sealbook/genesis/v1:${ledgerId}`)));
}

/**
 * The entry hash of a record: `keccak256(ascii(compactJWS))` (PROTOCOL §2).
 * A compact JWS is base64url and dots only, so its ASCII and UTF-8 bytes are the same.
 */
export function entryHashOf(jws: string): Hash {
  return bytesToHex(keccak256(textEncoder.encode(jws)));
}

/** The Merkle leaf of an entry as bytes: `keccak256(keccak256(entryHash))` (StandardMerkleTree, `["bytes32"]`). */
export function leafBytesOf(entryHash: Uint8Array): Uint8Array {
  return keccak256(keccak256(entryHash));
}

/** The Merkle leaf of an entry hash, as hex. */
export function leafOf(entryHash: Hash): Hash {
  return bytesToHex(leafBytesOf(hashToBytes(entryHash)));
}

/** An inner node: `keccak256(min(a, b) ‖ max(a, b))`, the sorted-pair hash of OpenZeppelin's Merkle code. */
export function hashPairBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const buf = new Uint8Array(64);
  if (compareBytes(a, b) <= 0) {
    buf.set(a, 0);
    buf.set(b, 32);
  } else {
    buf.set(b, 0);
    buf.set(a, 32);
  }
  return keccak256(buf);
}
