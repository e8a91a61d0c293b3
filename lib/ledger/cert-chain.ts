/**
 * Checks an X.509 certificate chain for a record signer (issue 6, certification centres): the chain a
 * record carries in its JWS `x5c` header must lead to a trusted certification centre, every
 * certificate on the way must be valid at acceptance time, the centres must be CAs allowed to
 * certify, and the signer's own certificate must be meant for signing and hold the key named by
 * the record's `kid`. Parsing and signature checks are @peculiar/x509's (X509ChainBuilder); this
 * module only states the rules. No database: it takes certificates and a time.
 */
import type { RecordAlg } from "../protocol/record";
import { publicSignerKey, signerKid, type SignerPublicJwk } from "../protocol/signer-key";
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
  | "critical_extension";

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

/** A trusted certification centre's certificate, as the store hands it over. */
export interface TrustAnchor {
  id: number;
  fingerprint: string;
  certificate: x509.X509Certificate;
}

/** A chain that passed every rule. */
export interface ValidatedChain {
  /** Leaf first, up to and including the trusted centre. */
  path: x509.X509Certificate[];
  anchor: TrustAnchor;
  publicJwk: SignerPublicJwk;
  alg: RecordAlg;
  kid: string;
  /** Where every certificate of the path is valid: the latest notBefore and the earliest notAfter. */
  validFrom: Date;
  validUntil: Date;
}

/** At most this many certificates in an `x5c` header. */
export const MAX_CHAIN_LENGTH = 5;

/** Critical extensions these rules understand; a certificate with any other critical extension is refused (RFC 5280 §4.2). */
const UNDERSTOOD_CRITICAL = new Set([
  "2.5.29.15", // keyUsage
  "2.5.29.19", // basicConstraints
  "2.5.29.37", // extKeyUsage
  "2.5.29.17", // subjectAltName
  "2.5.29.14", // subjectKeyIdentifier
  "2.5.29.35", // authorityKeyIdentifier
]);

const { KeyUsageFlags } = x509;

/**
 * Parses one certificate: PEM text, base64 DER (as in `x5c`), or DER bytes.
 * Throws CertificateChainError `malformed`.
 */
export function parseCertificate(input: string | Uint8Array, what = "The certificate"): x509.X509Certificate {
  try {
    if (typeof input !== "string") return new x509.X509Certificate(new Uint8Array(input));
    const text = input.trim();
    if (text.startsWith("-----BEGIN")) {
      const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      if (blocks.length !== 1) throw new Error(`expected one PEM CERTIFICATE block, found ${blocks.length}`);
      return new x509.X509Certificate(blocks[0]);
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

/** The signer key of a certificate as a public JWK, with its record algorithm and kid. Throws `unsupported_key`. */
export async function signerKeyOfCertificate(cert: x509.X509Certificate): Promise<{ publicJwk: SignerPublicJwk; alg: RecordAlg; kid: string }> {
  const algorithm = cert.publicKey.algorithm as { name?: string; namedCurve?: string };
  const supported = algorithm.name === "Ed25519" || (algorithm.name === "ECDSA" && algorithm.namedCurve === "P-256");
  if (!supported) {
    throw new CertificateChainError(
      "unsupported_key",
      `The certificate of ${cert.subject} holds a ${algorithm.name}${algorithm.namedCurve ? ` ${algorithm.namedCurve}` : ""} key; record signers use Ed25519 or P-256 keys.`,
      { subject: cert.subject, keyAlgorithm: algorithm.name },
    );
  }
  const key = await cert.publicKey.export();
  const jwk = await globalThis.crypto.subtle.exportKey("jwk", key);
  const { publicJwk, alg } = publicSignerKey(jwk);
  return { publicJwk, alg, kid: await signerKid(publicJwk) };
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
 * Checks that a certificate may sign records: not a CA, a keyUsage extension with digitalSignature
 * or nonRepudiation, and no critical extension left unprocessed. Throws `not_for_signing` or `critical_extension`.
 */
export function checkSigningCertificate(cert: x509.X509Certificate): void {
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

/**
 * Validates a record signer's `x5c` chain at time `at` against the trusted centres:
 * the chain is built with X509ChainBuilder from the leaf (x5c[0]) through the other x5c
 * certificates and the trusted ones (each link's signature is verified), cut at the first trusted
 * certificate; each certificate of that path must be valid at `at`; the centres must be CAs within
 * their path length; the leaf must be for signing (digitalSignature or nonRepudiation) and hold the
 * Ed25519 or P-256 key whose thumbprint is `kid`, for `alg`.
 * Throws CertificateChainError naming the rule that failed.
 */
export async function validateSignerChain(x5c: readonly string[], anchors: readonly TrustAnchor[], at: Date, expected: { kid: string; alg: RecordAlg }): Promise<ValidatedChain> {
  if (x5c.length === 0) throw new CertificateChainError("malformed", "The x5c header is empty.");
  if (x5c.length > MAX_CHAIN_LENGTH) {
    throw new CertificateChainError("chain_too_long", `The x5c header holds ${x5c.length} certificates; at most ${MAX_CHAIN_LENGTH} are accepted.`, {
      count: x5c.length,
      limit: MAX_CHAIN_LENGTH,
    });
  }
  const certs = x5c.map((c, i) => parseCertificate(c, i === 0 ? "The signer certificate (x5c[0])" : `x5c[${i}]`));
  const [leaf, ...intermediates] = certs;
  if (anchors.length === 0) {
    throw new CertificateChainError("untrusted", "No certification centre is trusted by this ledger yet, so no certificate chain can be accepted.");
  }

  // Trusted certificates first, so that the builder ends a path at a trusted centre when it can.
  let built: x509.X509Certificate[];
  try {
    built = [...(await new x509.X509ChainBuilder({ certificates: [...anchors.map((a) => a.certificate), ...intermediates] }).build(leaf))];
  } catch (cause) {
    throw new CertificateChainError("untrusted", `No certificate chain could be built from ${leaf.subject}: ${(cause as Error).message}.`, {}, { cause });
  }
  const byFingerprint = new Map(anchors.map((a) => [a.fingerprint, a]));
  let anchor: TrustAnchor | undefined;
  let anchorIndex = -1;
  for (let i = 1; i < built.length && !anchor; i++) {
    anchor = byFingerprint.get(await certificateFingerprint(built[i]));
    if (anchor) anchorIndex = i;
  }
  if (!anchor) {
    const top = built[built.length - 1];
    throw new CertificateChainError(
      "untrusted",
      `The certificate chain of ${leaf.subject} does not lead to a trusted certification centre (it ends at ${top.subject}, issued by ${top.issuer}).`,
      { subject: leaf.subject, chainEnd: top.subject, chainEndIssuer: top.issuer },
    );
  }
  const path = built.slice(0, anchorIndex + 1);

  path.forEach((cert, i) => checkValidityPeriod(cert, at, i === 0 ? "signer" : i === anchorIndex ? "certification centre" : "intermediate CA"));
  checkSigningCertificate(leaf);
  for (let i = 1; i < path.length; i++) checkCaCertificate(path[i], i - 1);

  const key = await signerKeyOfCertificate(leaf);
  if (key.kid !== expected.kid || key.alg !== expected.alg) {
    throw new CertificateChainError(
      "key_mismatch",
      `The signer certificate ${leaf.subject} holds the ${key.alg} key ${key.kid}, but the record names kid ${expected.kid} (${expected.alg}).`,
      { certificateKid: key.kid, kid: expected.kid, certificateAlg: key.alg, alg: expected.alg },
    );
  }
  const validFrom = new Date(Math.max(...path.map((c) => c.notBefore.getTime())));
  const validUntil = new Date(Math.min(...path.map((c) => c.notAfter.getTime())));
  return { path, anchor, ...key, validFrom, validUntil };
}
