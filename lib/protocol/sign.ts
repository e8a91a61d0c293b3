import { CompactSign, importJWK, type JWK } from "jose";
import { ProtocolError } from "./errors";
import type { RecordPayload } from "./record";
import { publicSignerKey, signerKid } from "./signer-key";

/**
 * Signs a record payload as a compact JWS (PROTOCOL §1) with a private JWK. The `alg` follows the
 * key (Ed25519 → EdDSA, P-256 → ES256) and `kid` is the thumbprint of its public part.
 * Extra protected-header fields (`x5c`, or anything a test wants to try) go in `extraHeader`.
 * Throws ProtocolError `invalid_request` when the JWK has no private part.
 */
export async function signRecord(privateJwk: JWK, payload: RecordPayload | Record<string, unknown>, extraHeader: Record<string, unknown> = {}): Promise<string> {
  if (typeof privateJwk.d !== "string") throw new ProtocolError("invalid_request", "Signing needs a private JWK (with its `d` member).");
  const { d: _private, ...publicPart } = privateJwk;
  const { publicJwk, alg } = publicSignerKey(publicPart);
  const kid = await signerKid(publicJwk);
  const key = await importJWK(privateJwk, alg);
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg, kid, ...extraHeader })
    .sign(key);
}

/** A new random record id. */
export function newRecordId(): string {
  return crypto.randomUUID();
}
