import type { JWK } from "jose";
import { importRecordKey, type RecordAlg, type RecordVerifyKey } from "../protocol/record";

/**
 * Imported verification keys by kid. A kid is the thumbprint of its public key, so the key behind
 * a kid can never change and is safe to cache for the life of the process; a signer's status
 * (validity, revocation) is never cached and is read for every submission.
 */
export class SignerKeyCache {
  private readonly keys = new Map<string, Promise<RecordVerifyKey>>();

  /** The verification key for `kid`, imported once. */
  get(kid: string, publicJwk: JWK, alg: RecordAlg): Promise<RecordVerifyKey> {
    let key = this.keys.get(`${alg}:${kid}`);
    if (!key) {
      key = importRecordKey(publicJwk, alg);
      key.catch(() => this.keys.delete(`${alg}:${kid}`));
      this.keys.set(`${alg}:${kid}`, key);
    }
    return key;
  }
}
