import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SignerKeyCache } from "../../lib/ledger/signers/signer-keys";
import { importRecordKey, verifyRecordSignature } from "../../lib/protocol/record";
import { signRecord } from "../../lib/protocol/sign";
import { newKeyPair, payload } from "../support/records";
import { vectors } from "../support/vectors";

/** Both verifiers' verdicts on a JWS: the server's node:crypto path and jose (the library). */
async function verdicts(cache: SignerKeyCache, jws: string, kid: string, publicJwk: Record<string, string>, alg: "EdDSA" | "ES256") {
  const server = await cache.verifyJws(jws, kid, publicJwk, alg).then(() => "valid", (e: { code: string }) => e.code);
  const library = await verifyRecordSignature(jws, await importRecordKey(publicJwk, alg), alg).then(() => "valid", (e: { code: string }) => e.code);
  return { server, library };
}

function flip(jws: string, part: number, index: number): string {
  const parts = jws.split(".");
  const bytes = Buffer.from(parts[part], "base64url");
  bytes[index % bytes.length] ^= 0x01;
  parts[part] = bytes.toString("base64url");
  return parts.join(".");
}

describe("the server's signature check agrees with jose", () => {
  it("accepts every vector record under its signer's key", async () => {
    const cache = new SignerKeyCache();
    for (const record of vectors.records) {
      const signer = vectors.signers.find((s) => s.kid === record.kid)!;
      assert.deepEqual(await verdicts(cache, record.jws, signer.kid, signer.publicJwk, signer.alg), { server: "valid", library: "valid" });
    }
  });

  for (const alg of ["EdDSA", "ES256"] as const) {
    it(`gives the same verdict as jose on ${alg} records with flipped bits, swapped keys and swapped algorithms`, async () => {
      const cache = new SignerKeyCache();
      const mine = await newKeyPair(alg);
      const other = await newKeyPair(alg);
      const jws = await signRecord(mine.privateJwk, payload(`0x${"00".repeat(32)}`));
      const publicJwk = mine.publicJwk as Record<string, string>;
      assert.deepEqual(await verdicts(cache, jws, "mine", publicJwk, alg), { server: "valid", library: "valid" });
      for (let i = 0; i < 24; i++) {
        for (const part of [0, 1, 2]) {
          const v = await verdicts(cache, flip(jws, part, i * 7), "mine", publicJwk, alg);
          assert.equal(v.server, "bad_signature", `part ${part} byte ${i * 7}`);
          assert.equal(v.library, "bad_signature");
        }
      }
      const swapped = await verdicts(cache, jws, "other", other.publicJwk as Record<string, string>, alg);
      assert.deepEqual(swapped, { server: "bad_signature", library: "bad_signature" });
      const wrongAlg = alg === "EdDSA" ? "ES256" : "EdDSA";
      await assert.rejects(cache.verifyJws(jws, "mine", publicJwk, wrongAlg), { code: "unsupported_alg" });
    });
  }
});
