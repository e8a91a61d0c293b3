import { calculateJwkThumbprint, type JWK } from "jose";
import { ProtocolError } from "./errors";
import type { RecordAlg } from "./record";

/** A signer's public key in the form the directory publishes it. */
export interface SignerPublicJwk {
  kty: "OKP" | "EC";
  crv: "Ed25519" | "P-256";
  x: string;
  y?: string;
}

/**
 * Reduces a JWK to its public members and tells its record algorithm: Ed25519 keys sign EdDSA,
 * P-256 keys sign ES256. Throws ProtocolError `unsupported_alg` for any other key, and
 * `invalid_request` when the JWK holds a private part (which must never be uploaded).
 */
export function publicSignerKey(jwk: JWK): { publicJwk: SignerPublicJwk; alg: RecordAlg } {
  if (typeof jwk !== "object" || jwk === null) throw new ProtocolError("invalid_request", "A signer key must be a JWK object.");
  if ("d" in jwk) {
    throw new ProtocolError(
      "invalid_request",
      "This JWK contains a private key (the `d` member). Register the public key only; keep the private key with the signer.",
    );
  }
  const b64 = /^[A-Za-z0-9_-]+$/;
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && typeof jwk.x === "string" && b64.test(jwk.x)) {
    return { publicJwk: { kty: "OKP", crv: "Ed25519", x: jwk.x }, alg: "EdDSA" };
  }
  if (jwk.kty === "EC" && jwk.crv === "P-256" && typeof jwk.x === "string" && typeof jwk.y === "string" && b64.test(jwk.x) && b64.test(jwk.y)) {
    return { publicJwk: { kty: "EC", crv: "P-256", x: jwk.x, y: jwk.y }, alg: "ES256" };
  }
  throw new ProtocolError(
    "unsupported_alg",
    `Signer keys must be Ed25519 (kty OKP) or P-256 (kty EC) public JWKs; got kty ${JSON.stringify(jwk.kty)}, crv ${JSON.stringify(jwk.crv)}.`,
    { kty: jwk.kty, crv: jwk.crv },
  );
}

/** The key id of a signer: the RFC 7638 SHA-256 thumbprint of its public JWK, base64url. */
export function signerKid(publicJwk: SignerPublicJwk): Promise<string> {
  return calculateJwkThumbprint(publicJwk as JWK, "sha256");
}
