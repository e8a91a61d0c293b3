import { createPublicKey, verify, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { ProtocolError } from "../../protocol/errors";
import type { RecordAlg } from "../../protocol/record";

/**
 * Imported verification keys by kid, and the server's signature check.
 *
 * A kid is the thumbprint of its public key, so the key behind a kid can never change and is safe
 * to cache for the life of the process; a signer's status (validity, revocation) is never cached.
 *
 * Verification here uses node:crypto directly on the JWS signing input, on libuv's thread pool:
 * the ingest benchmark showed jose's WebCrypto path about 20% slower on this hot path (it parses
 * the JWS again and goes through WebCrypto's algorithm normalisation). The pure core keeps jose for
 * the browser and the CLI; test/ledger/signature.test.ts checks that both agree.
 */
export class SignerKeyCache {
  private readonly keys = new Map<string, KeyObject>();

  /** The Node key object for a signer's public JWK, imported once. */
  keyFor(kid: string, publicJwk: JWK): KeyObject {
    let key = this.keys.get(kid);
    if (!key) {
      try {
        key = createPublicKey({ key: publicJwk as import("node:crypto").JsonWebKey, format: "jwk" });
      } catch (cause) {
        throw new ProtocolError("unsupported_alg", `The registered key ${kid} cannot be imported.`, { kid }, { cause });
      }
      this.keys.set(kid, key);
    }
    return key;
  }

  /**
   * Verifies a compact JWS's signature under the signer's key with `alg` pinned to the key's:
   * Ed25519 for EdDSA, ECDSA P-256 with SHA-256 and a raw r‖s signature for ES256.
   * Throws ProtocolError `bad_signature` when it does not verify.
   */
  async verifyJws(jws: string, kid: string, publicJwk: JWK, alg: RecordAlg): Promise<void> {
    const key = this.keyFor(kid, publicJwk);
    const lastDot = jws.lastIndexOf(".");
    const signingInput = Buffer.from(jws.slice(0, lastDot), "ascii");
    const signature = Buffer.from(jws.slice(lastDot + 1), "base64url");
    const expectedType = alg === "EdDSA" ? "ed25519" : "ec";
    if (key.asymmetricKeyType !== expectedType) {
      throw new ProtocolError("unsupported_alg", `The key ${kid} is not a ${alg} key.`, { kid, alg });
    }
    const ok = await new Promise<boolean>((resolve) => {
      const done = (error: Error | null, valid: boolean) => resolve(!error && valid);
      if (alg === "EdDSA") verify(null, signingInput, key, signature, done);
      else verify("sha256", signingInput, { key, dsaEncoding: "ieee-p1363" }, signature, done);
    });
    if (!ok) throw new ProtocolError("bad_signature", "The record's signature does not verify under the signer's registered key.");
  }
}
