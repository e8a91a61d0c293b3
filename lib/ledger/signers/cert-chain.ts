/**
 * Checks an X.509 certificate chain for a record signer (issue 6, certification centres; hardened
 * in issue 12): the chain a record carries in its JWS `x5c` header must lead to a trusted
 * certification centre, every certificate on the way must be valid at acceptance time, the centres
 * must be CAs allowed to certify and their name constraints hold, and the signer's own certificate
 * must be meant for signing and hold the key named by the record's `kid`.
 *
 * The work an attacker can cause is bounded (issue 12, items 2 and 3): nothing is parsed unless a
 * centre is trusted; the path is built by key identifier (each certificate's authority key
 * identifier names its issuer's subject key identifier), so only one candidate issuer is ever
 * tried per link, however many certificates claim the same name; every key is checked for an
 * accepted type and size (cert-rules.ts) before any signature is verified; and every parse and
 * signature check is paid from a CertificateWorkBudget shared by a whole batch. No database: it
 * takes certificates and a time.
 */
import type { RecordAlg } from "../../protocol/record";
import { publicSignerKey, signerKid, type SignerPublicJwk } from "../../protocol/signer-key";
import { MAX_X5C_ENTRIES } from "../../protocol/x5c";
import {
  CertificateChainError,
  authorityKeyId,
  caKeyId,
  checkCaCertificate,
  checkCertificateKey,
  checkSigningCertificate,
  checkValidityPeriod,
  parseCertificate,
} from "./cert-rules";
import { checkNameConstraints } from "./name-constraints";
import type { x509 } from "./x509";

/** A trusted certification centre's certificate, as the store hands it over. */
export interface TrustAnchor {
  id: number;
  fingerprint: string;
  certificate: x509.X509Certificate;
  /** Its subject key identifier (lower-case hex), or the SHA-1 of its key when it has none. */
  keyId: string;
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

/** Rules a deployment may tune: extra OIDs that count as a signing purpose (X509_SIGNING_PURPOSES). */
export interface ChainPolicy {
  signingPurposes?: readonly string[];
}

/**
 * How much certificate work a submission may still do, in units: one per certificate parsed and
 * one per signature checked (parsing a certificate costs about as much as checking a P-256
 * signature: 0.7–1.3 ms here). A record's chain needs at most 2 × MAX_X5C_ENTRIES; a batch shares
 * one budget (CERTIFICATE_WORK_PER_BATCH), so that a batch of a thousand hostile chains costs a
 * bounded, small amount of CPU. Records past the budget are refused `rate_limited`, to be sent again.
 */
export class CertificateWorkBudget {
  constructor(private remaining: number) {}

  /**
   * Takes `units` from the budget at once, all or nothing, so that records checked at the same
   * time never each pay for half a chain. Throws CertificateChainError `budget_exhausted` when
   * fewer are left.
   */
  reserve(units: number): void {
    if (this.remaining < units) {
      throw new CertificateChainError(
        "budget_exhausted",
        "This submission already used its budget of certificate work (parsing and signature checks); send this record again on its own or in a later batch.",
        { needed: units, left: this.remaining },
      );
    }
    this.remaining -= units;
  }

  /** Gives back units reserved but not used. */
  refund(units: number): void {
    this.remaining += units;
  }

  get left(): number {
    return this.remaining;
  }
}

/** Certificate work one batch submission may do: 20 new signers with 5-certificate chains, or 50 with 2. */
export const CERTIFICATE_WORK_PER_BATCH = 200;

async function checkSignedBy(cert: x509.X509Certificate, issuer: x509.X509Certificate): Promise<void> {
  let ok = false;
  try {
    ok = await cert.verify({ publicKey: issuer.publicKey, signatureOnly: true });
  } catch (cause) {
    throw new CertificateChainError("untrusted", `The signature on ${cert.subject} cannot be checked with the key of ${issuer.subject}.`, { subject: cert.subject }, { cause });
  }
  if (!ok) {
    throw new CertificateChainError("untrusted", `The certificate ${cert.subject} is not signed by ${issuer.subject}, whose key identifier it names.`, {
      subject: cert.subject,
      issuer: issuer.subject,
    });
  }
}

/**
 * Builds the path from `leaf` up to a trusted centre by key identifier, without checking any
 * signature: each step takes the trusted centre whose key identifier is the certificate's authority
 * key identifier, or else the one intermediate of `x5c` with that key identifier (its subject key
 * identifier, or the SHA-1 of its key) and the certificate's issuer name. Intermediates that lead nowhere are never looked at.
 */
async function pathByKeyIdentifier(leaf: x509.X509Certificate, intermediates: readonly x509.X509Certificate[], anchors: readonly TrustAnchor[]) {
  const path = [leaf];
  const unused = new Map(await Promise.all(intermediates.map(async (c) => [c, await caKeyId(c)] as const)));
  for (let current = leaf; ; ) {
    const issuerKeyId = authorityKeyId(current);
    if (issuerKeyId === null) {
      throw new CertificateChainError(
        "untrusted",
        `The certificate chain of ${leaf.subject} does not lead to a trusted certification centre: it ends at ${current.subject}, which names no authority key identifier (RFC 5280 §4.2.1.1).`,
        { subject: leaf.subject, chainEnd: current.subject, chainEndIssuer: current.issuer },
      );
    }
    const anchor = anchors.find((a) => a.keyId === issuerKeyId && a.certificate.subject === current.issuer);
    if (anchor) return { path: [...path, anchor.certificate], anchor };
    const next = [...unused.keys()].find((c) => unused.get(c) === issuerKeyId && c.subject === current.issuer);
    if (!next || path.length >= MAX_X5C_ENTRIES) {
      throw new CertificateChainError(
        "untrusted",
        `The certificate chain of ${leaf.subject} does not lead to a trusted certification centre: nothing trusted or carried in x5c has the key identifier ${issuerKeyId} of ${current.issuer}.`,
        { subject: leaf.subject, chainEnd: current.subject, chainEndIssuer: current.issuer, authorityKeyId: issuerKeyId },
      );
    }
    unused.delete(next);
    path.push(next);
    current = next;
  }
}

/**
 * Validates a record signer's `x5c` chain at time `at` against the trusted centres. In order, so
 * that cheap refusals come first: no trusted centre, no parse; at most MAX_X5C_ENTRIES entries;
 * the path by key identifier (pathByKeyIdentifier); each certificate's key type and size, validity
 * at `at`, CA flags and path lengths, name constraints, and the leaf's signing purpose and key (the
 * Ed25519 or P-256 key whose thumbprint is `kid`, for `alg`); and only then the signatures, top
 * down. Every parse and check is paid from `budget` before it is made.
 * Throws CertificateChainError naming the rule that failed.
 */
export async function validateSignerChain(
  x5c: readonly string[],
  anchors: readonly TrustAnchor[],
  at: Date,
  expected: { kid: string; alg: RecordAlg },
  budget: CertificateWorkBudget = new CertificateWorkBudget(2 * MAX_X5C_ENTRIES),
  policy: ChainPolicy = {},
): Promise<ValidatedChain> {
  if (anchors.length === 0) {
    throw new CertificateChainError("untrusted", "No certification centre is trusted by this ledger yet, so no certificate chain can be accepted.");
  }
  if (x5c.length === 0) throw new CertificateChainError("malformed", "The x5c header is empty.");
  if (x5c.length > MAX_X5C_ENTRIES) {
    throw new CertificateChainError("chain_too_long", `The x5c header holds ${x5c.length} certificates; at most ${MAX_X5C_ENTRIES} are accepted.`, {
      count: x5c.length,
      limit: MAX_X5C_ENTRIES,
    });
  }
  // Every parse and every possible signature check is paid for before any is made; the checks a
  // shorter path or a refusal does not need are given back.
  budget.reserve(2 * x5c.length);
  let unusedChecks = x5c.length;
  try {
    const [leaf, ...intermediates] = x5c.map((c, i) => parseCertificate(c, i === 0 ? "The signer certificate (x5c[0])" : `x5c[${i}]`));
    const { path, anchor } = await pathByKeyIdentifier(leaf, intermediates, anchors);
    const anchorIndex = path.length - 1;

    path.forEach(checkCertificateKey);
    path.forEach((cert, i) => checkValidityPeriod(cert, at, i === 0 ? "signer" : i === anchorIndex ? "certification centre" : "intermediate CA"));
    checkSigningCertificate(leaf, policy.signingPurposes);
    for (let i = 1; i < path.length; i++) {
      checkCaCertificate(path[i], i - 1);
      checkNameConstraints(path[i], path.slice(0, i));
    }
    const key = await signerKeyOfCertificate(leaf);
    if (key.kid !== expected.kid || key.alg !== expected.alg) {
      throw new CertificateChainError(
        "key_mismatch",
        `The signer certificate ${leaf.subject} holds the ${key.alg} key ${key.kid}, but the record names kid ${expected.kid} (${expected.alg}).`,
        { certificateKid: key.kid, kid: expected.kid, certificateAlg: key.alg, alg: expected.alg },
      );
    }
    budget.refund(x5c.length - anchorIndex);
    unusedChecks = 0;
    for (let i = anchorIndex - 1; i >= 0; i--) await checkSignedBy(path[i], path[i + 1]);
    return chainResult(path, anchor, key);
  } finally {
    budget.refund(unusedChecks);
  }
}

function chainResult(path: x509.X509Certificate[], anchor: TrustAnchor, key: Awaited<ReturnType<typeof signerKeyOfCertificate>>): ValidatedChain {
  const validFrom = new Date(Math.max(...path.map((c) => c.notBefore.getTime())));
  const validUntil = new Date(Math.min(...path.map((c) => c.notAfter.getTime())));
  return { path, anchor, ...key, validFrom, validUntil };
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
