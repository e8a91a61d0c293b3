/**
 * The rules one X.509 certificate must meet to take part in a record signer's chain (issue 6,
 * hardened in issue 12): readable, within its validity period, no critical extension left
 * unprocessed, a key Sealbook is willing to spend CPU on, and, for a signer, a signing purpose;
 * for a certification centre, the right to certify. No database, no chain building: cert-chain.ts
 * puts these together.
 */
import { createPublicKey } from "node:crypto";
import { x509 } from "./x509";

/** Why a certificate or chain was refused. */
export type CertificateRejection =
  | "malformed"
  | "chain_too_long"
  | "untrusted"
  | "expired"
  | "not_yet_valid"
  | "not_for_signing"
  | "not_a_ca"
  | "path_too_long"
  | "unsupported_key"
  | "key_mismatch"
  | "critical_extension"
  | "name_constraints"
  | "budget_exhausted";

/** A certificate or chain that the rules refuse, with the reason and the certificate concerned. */
export class CertificateChainError extends Error {
  readonly reason: CertificateRejection;
  readonly details: Record<string, unknown>;

  constructor(reason: CertificateRejection, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = "CertificateChainError";
    this.reason = reason;
    this.details = details;
  }
}

/** Critical extensions these rules understand; a certificate with any other critical extension is refused (RFC 5280 §4.2). */
const UNDERSTOOD_CRITICAL = new Set([
  "2.5.29.15", // keyUsage
  "2.5.29.19", // basicConstraints
  "2.5.29.37", // extKeyUsage
  "2.5.29.17", // subjectAltName
  "2.5.29.14", // subjectKeyIdentifier
  "2.5.29.35", // authorityKeyIdentifier
  "2.5.29.30", // nameConstraints (name-constraints.ts)
]);

/**
 * Extended key usages that allow signing records: id-kp-documentSigning (RFC 9336) and
 * id-kp-emailProtection (S/MIME signing certificates, which many national schemes issue to
 * professionals). A leaf whose EKU names only other purposes (serverAuth, clientAuth, …) is refused.
 * X509_SIGNING_PURPOSES adds more, e.g. a national qualified-signature policy.
 */
export const DEFAULT_SIGNING_PURPOSES = ["1.3.6.1.5.5.7.3.36", "1.3.6.1.5.5.7.3.4"] as const;

const { KeyUsageFlags } = x509;

const PEM_BEGIN = "-----BEGIN CERTIFICATE-----";
const PEM_END = "-----END CERTIFICATE-----";

/**
 * Parses one certificate: PEM text (one CERTIFICATE block, as an admin uploads it), base64 DER
 * (as in `x5c`), or DER bytes. Linear in the input: no regular expression that can backtrack.
 * Throws CertificateChainError `malformed`.
 */
export function parseCertificate(input: string | Uint8Array, what = "The certificate"): x509.X509Certificate {
  try {
    if (typeof input !== "string") return new x509.X509Certificate(new Uint8Array(input));
    const text = input.trim();
    if (text.startsWith("-----BEGIN")) {
      const begin = text.indexOf(PEM_BEGIN);
      const end = text.indexOf(PEM_END);
      if (begin !== 0 || end < 0 || text.indexOf(PEM_BEGIN, PEM_BEGIN.length) >= 0) throw new Error("expected exactly one PEM CERTIFICATE block");
      return new x509.X509Certificate(text.slice(0, end + PEM_END.length));
    }
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw new Error("not base64 (x5c entries are base64 DER, RFC 7515 §4.1.6)");
    return new x509.X509Certificate(Buffer.from(text, "base64"));
  } catch (cause) {
    throw new CertificateChainError("malformed", `${what} is not a readable X.509 certificate: ${(cause as Error).message}.`, {}, { cause });
  }
}

/** The SHA-256 fingerprint of a certificate's DER, lower-case hex. */
export async function certificateFingerprint(cert: x509.X509Certificate): Promise<string> {
  return Buffer.from(await cert.getThumbprint("SHA-256")).toString("hex");
}

/** The certificate's DER as base64, the `x5c` form. */
export function certificateBase64(cert: x509.X509Certificate): string {
  return Buffer.from(cert.rawData).toString("base64");
}

/** Largest RSA modulus accepted in a chain. */
export const MAX_RSA_BITS = 4096;

/**
 * Checks that a certificate's key is one Sealbook will verify signatures with: EC P-256 or P-384,
 * Ed25519, or RSA of at most MAX_RSA_BITS bits with public exponent 65537. Reading the key costs
 * microseconds; a huge exponent or modulus would make every signature check against it cost
 * milliseconds (issue 12, item 3). Throws `unsupported_key`.
 */
export function checkCertificateKey(cert: x509.X509Certificate): void {
  let details: ReturnType<typeof createPublicKey>["asymmetricKeyDetails"];
  let type: string | undefined;
  try {
    const key = createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: "der", type: "spki" });
    type = key.asymmetricKeyType;
    details = key.asymmetricKeyDetails;
  } catch (cause) {
    throw new CertificateChainError("unsupported_key", `The key of ${cert.subject} cannot be read.`, { subject: cert.subject }, { cause });
  }
  const refuse = (what: string) => {
    throw new CertificateChainError(
      "unsupported_key",
      `The certificate ${cert.subject} holds ${what}; chains may use EC P-256 or P-384, Ed25519, or RSA of at most ${MAX_RSA_BITS} bits with exponent 65537.`,
      { subject: cert.subject, keyType: type ?? null },
    );
  };
  if (type === "ed25519") return;
  if (type === "ec") {
    if (details?.namedCurve === "prime256v1" || details?.namedCurve === "secp384r1") return;
    refuse(`an EC key on ${details?.namedCurve ?? "an unnamed curve"}`);
  }
  if (type === "rsa") {
    const bits = details?.modulusLength ?? Infinity;
    if (bits > MAX_RSA_BITS) refuse(`an RSA key of ${bits} bits`);
    if (details?.publicExponent !== 65537n) refuse(`an RSA key with exponent ${details?.publicExponent === undefined ? "unknown" : details.publicExponent > 1_000_000n ? `of ${details.publicExponent.toString(2).length} bits` : String(details.publicExponent)}`);
    return;
  }
  refuse(`a ${type ?? "unknown"} key`);
}

/** Throws `expired` or `not_yet_valid` unless `at` lies within the certificate's validity period. */
export function checkValidityPeriod(cert: x509.X509Certificate, at: Date, role: string): void {
  const details = { subject: cert.subject, notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString(), at: at.toISOString() };
  if (at < cert.notBefore) {
    throw new CertificateChainError("not_yet_valid", `The ${role} certificate ${cert.subject} is not valid before ${cert.notBefore.toISOString()}.`, details);
  }
  if (at > cert.notAfter) {
    throw new CertificateChainError("expired", `The ${role} certificate ${cert.subject} expired at ${cert.notAfter.toISOString()}.`, details);
  }
}

function checkCriticalExtensions(cert: x509.X509Certificate): void {
  const unknown = cert.extensions.filter((e) => e.critical && !UNDERSTOOD_CRITICAL.has(e.type)).map((e) => e.type);
  if (unknown.length > 0) {
    throw new CertificateChainError(
      "critical_extension",
      `The certificate ${cert.subject} has critical extensions Sealbook does not process (${unknown.join(", ")}), so it cannot be accepted.`,
      { subject: cert.subject, extensions: unknown },
    );
  }
}

/**
 * Checks that a certificate may sign records: not a CA; a keyUsage extension with digitalSignature
 * or nonRepudiation; a signing purpose (no extKeyUsage, or one naming DEFAULT_SIGNING_PURPOSES or
 * one of `extraPurposes`; an `extraPurposes` OID among its certificate policies also counts, for
 * qualified-signature policies); no critical extension left unprocessed.
 * Throws `not_for_signing` or `critical_extension`.
 */
export function checkSigningCertificate(cert: x509.X509Certificate, extraPurposes: readonly string[] = []): void {
  checkCriticalExtensions(cert);
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  if (constraints?.ca) {
    throw new CertificateChainError("not_for_signing", `The certificate ${cert.subject} is a CA certificate; records must be signed with an end-entity certificate.`, {
      subject: cert.subject,
    });
  }
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  const signing = KeyUsageFlags.digitalSignature | KeyUsageFlags.nonRepudiation;
  if (!usage || (usage.usages & signing) === 0) {
    throw new CertificateChainError(
      "not_for_signing",
      `The certificate ${cert.subject} is not for signing: its key usage must include digitalSignature or nonRepudiation${usage ? "" : " (it has no keyUsage extension)"}.`,
      { subject: cert.subject, keyUsage: usage?.usages ?? null },
    );
  }
  const extended = cert.getExtension(x509.ExtendedKeyUsageExtension);
  if (!extended) return;
  const allowed = new Set<string>([...DEFAULT_SIGNING_PURPOSES, ...extraPurposes]);
  const purposes = extended.usages.map(String);
  const policies = cert.getExtension(x509.CertificatePolicyExtension)?.policies ?? [];
  if (purposes.some((p) => allowed.has(p)) || policies.some((p) => extraPurposes.includes(p))) return;
  throw new CertificateChainError(
    "not_for_signing",
    `The certificate ${cert.subject} is not for signing documents: its extended key usage allows only ${purposes.join(", ")} ` +
      `(a TLS or other purpose). Records need no extKeyUsage, or one with ${[...allowed].join(" or ")} (X509_SIGNING_PURPOSES adds more).`,
    { subject: cert.subject, extendedKeyUsage: purposes },
  );
}

/**
 * Checks that a certificate may certify others: basicConstraints with cA true, keyCertSign in its
 * key usage when it has one, and `below` intermediate CAs under it within its pathLenConstraint.
 * Throws `not_a_ca`, `path_too_long` or `critical_extension`.
 */
export function checkCaCertificate(cert: x509.X509Certificate, below = 0): void {
  checkCriticalExtensions(cert);
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  if (!constraints?.ca) {
    throw new CertificateChainError("not_a_ca", `The certificate ${cert.subject} is not a CA certificate (basicConstraints cA is not set), so it cannot certify signers.`, {
      subject: cert.subject,
    });
  }
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  if (usage && (usage.usages & KeyUsageFlags.keyCertSign) === 0) {
    throw new CertificateChainError("not_a_ca", `The CA certificate ${cert.subject} may not sign certificates (keyCertSign is not in its key usage).`, {
      subject: cert.subject,
    });
  }
  if (constraints.pathLength !== undefined && below > constraints.pathLength) {
    throw new CertificateChainError(
      "path_too_long",
      `The CA certificate ${cert.subject} allows ${constraints.pathLength} intermediate CA(s) below it; this chain has ${below}.`,
      { subject: cert.subject, pathLength: constraints.pathLength, below },
    );
  }
}

/** The certificate's subject key identifier (lower-case hex), or null when it has none. */
export function subjectKeyId(cert: x509.X509Certificate): string | null {
  return cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId.toLowerCase() ?? null;
}

/** The key identifier of the certificate's issuer, from its authority key identifier, or null. */
export function authorityKeyId(cert: x509.X509Certificate): string | null {
  return cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId?.toLowerCase() ?? null;
}

/** A trusted centre's key identifier: its subjectKeyIdentifier, or else the SHA-1 of its key (RFC 5280 §4.2.1.2 method 1). */
export async function caKeyId(cert: x509.X509Certificate): Promise<string> {
  return subjectKeyId(cert) ?? (await x509.SubjectKeyIdentifierExtension.create(cert.publicKey)).keyId.toLowerCase();
}
