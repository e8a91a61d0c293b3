import { exportJWK, generateKeyPair, type JWK } from "jose";
import type { Hash } from "../../lib/protocol/hex";
import { newRecordId, signRecord } from "../../lib/protocol/sign";

/** A fresh signer key pair as JWKs. */
export async function newKeyPair(alg: "EdDSA" | "ES256" = "EdDSA"): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}) });
  return { privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

/** A valid payload naming `prevRoot`, with any field overridden. */
export function payload(prevRoot: Hash, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: newRecordId(),
    kind: "prescription",
    prevRoot,
    createdAt: new Date().toISOString(),
    body: { patient: "synthetic-test-patient", drug: "amoxicillin 500 mg" },
    ...overrides,
  };
}

/** Signs a valid record naming `prevRoot`. */
export function signedRecord(privateJwk: JWK, prevRoot: Hash, overrides: Record<string, unknown> = {}): Promise<string> {
  return signRecord(privateJwk, payload(prevRoot, overrides));
}

/** base64url of a string or object (JSON). */
export function b64url(value: string | object): string {
  return Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
}
