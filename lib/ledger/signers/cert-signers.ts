/**
 * Signers registered from X.509 certificates (issue 6): by a record whose `x5c` chain leads to a
 * trusted certification centre (`registerSignerFromCertificateChain`, called by ingest for an
 * unknown kid), or by an admin uploading a signer's certificate (`registerSignerFromCertificate`).
 *
 * Either way the key's directory entry carries the certificate's validity: `validFrom` is where the
 * chain starts being valid and the entry is revoked in advance at the end of the chain's validity,
 * so that the public directory says when the key stops being usable (an admin may still revoke it
 * earlier: migration 0005 lets a revocation still ahead be brought forward).
 */
import { sql } from "drizzle-orm";
import { queryRows } from "../../../db/client";
import { signers } from "../../../db/schema";
import { ProtocolError } from "../../protocol/errors";
import type { DecodedRecord } from "../../protocol/record";
import { withoutNul } from "../../protocol/text";
import { CERTIFICATE_WORK_PER_BATCH, CertificateWorkBudget, signerKeyOfCertificate, validateSignerChain, type TrustAnchor } from "./cert-chain";
import { CertificateChainError, certificateBase64, certificateFingerprint, checkSigningCertificate, checkValidityPeriod, parseCertificate } from "./cert-rules";
import type { LedgerContext } from "../context";
import { getSigner, type Signer } from "./signers";
import { activeTrustAnchors } from "./trusted-cas";
import type { x509 } from "./x509";

type SignerRow = typeof signers.$inferSelect;

/** What the directory says about a signer's certificate. */
export interface SignerCertificate {
  kid: string;
  trustedCaId: number | null;
  trustedCaSubject: string | null;
  fingerprint: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
}

const LABEL_LIMIT = 200;

function nameField(cert: x509.X509Certificate, field: string): string | null {
  const value = cert.subjectName.getField(field)[0];
  return value ? withoutNul(value).slice(0, LABEL_LIMIT) : null;
}

function endOfValidityReason(leaf: x509.X509Certificate): string {
  return withoutNul(`End of validity of its X.509 certificate (${leaf.subject}, serial ${leaf.serialNumber}, issued by ${leaf.issuer}).`);
}

/** Stores the signer and its certificate link in one transaction; a kid already registered is left as it is. */
async function storeCertifiedSigner(
  ctx: LedgerContext,
  input: {
    leaf: x509.X509Certificate;
    chain: string[];
    trustedCaId: number | null;
    key: { kid: string; alg: string; publicJwk: Record<string, string> };
    label: string;
    organization: string | null;
    validFrom: Date;
    validUntil: Date;
  },
): Promise<boolean> {
  const { leaf, key } = input;
  const fingerprint = await certificateFingerprint(leaf);
  return ctx.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(signers)
      .values({
        kid: key.kid,
        alg: key.alg,
        publicJwk: key.publicJwk,
        label: input.label,
        organization: input.organization,
        validFrom: input.validFrom,
        revokedAt: input.validUntil,
        revocationReason: endOfValidityReason(leaf),
      })
      .onConflictDoNothing()
      .returning({ kid: signers.kid });
    if (inserted.length === 0) return false;
    await tx.execute(
      sql`insert into signer_certificates (kid, trusted_ca_id, fingerprint, subject, issuer, serial_number, not_before, not_after, chain, created_at)
          values (${key.kid}, ${input.trustedCaId}, ${fingerprint}, ${leaf.subject}, ${leaf.issuer}, ${leaf.serialNumber},
                  ${leaf.notBefore.toISOString()}::timestamptz, ${leaf.notAfter.toISOString()}::timestamptz,
                  ${JSON.stringify(input.chain)}::jsonb, ${ctx.now().toISOString()}::timestamptz)`,
    );
    return true;
  });
}

/**
 * What one submission shares while registering signers from `x5c` chains: the trusted centres,
 * read once; one budget of certificate work (CERTIFICATE_WORK_PER_BATCH); and one registration per
 * distinct kid and chain, so that a batch repeating the same chain checks it once.
 */
export class CertificateRegistrations {
  readonly budget = new CertificateWorkBudget(CERTIFICATE_WORK_PER_BATCH);
  private readonly pending = new Map<string, Promise<SignerRow>>();
  private anchors: Promise<TrustAnchor[]> | null = null;

  /** Registers the signer of `record` (see registerSignerFromCertificateChain), once per kid and chain. */
  register(ctx: LedgerContext, record: DecodedRecord, now: Date): Promise<SignerRow> {
    const key = `${record.header.kid}\n${(record.header.x5c ?? []).join(",")}`;
    let registration = this.pending.get(key);
    if (!registration) {
      this.anchors ??= activeTrustAnchors(ctx);
      registration = registerSignerFromCertificateChain(ctx, record, now, this.budget, this.anchors);
      this.pending.set(key, registration);
    }
    return registration;
  }
}

/**
 * Registers the signer of `record`, whose kid is not in the directory, from the certificate chain
 * in its `x5c` header, when that chain validates to a trusted certification centre at `now`
 * (rules in cert-chain.ts). Nothing in `x5c` is parsed unless a centre is trusted. The record's own
 * signature must verify under the certificate's key first, so that only the key's holder can put
 * it in the directory. The key is linked to its certificate and its centre. Returns the directory
 * row, as ingest reads it.
 * Throws ProtocolError `unknown_signer` saying why the chain was refused, `rate_limited` when
 * `budget` is spent, or `bad_signature`.
 */
export async function registerSignerFromCertificateChain(
  ctx: LedgerContext,
  record: DecodedRecord,
  now: Date,
  budget?: CertificateWorkBudget,
  anchors: Promise<TrustAnchor[]> = activeTrustAnchors(ctx),
): Promise<SignerRow> {
  const { kid, alg, x5c } = record.header;
  if (!x5c) throw new ProtocolError("unknown_signer", `No signer with key id ${kid} is registered in the directory.`, { kid });
  let validated: Awaited<ReturnType<typeof validateSignerChain>>;
  try {
    validated = await validateSignerChain(x5c, await anchors, now, { kid, alg }, budget, { signingPurposes: ctx.signingPurposes });
  } catch (error) {
    if (!(error instanceof CertificateChainError)) throw error;
    if (error.reason === "budget_exhausted") throw new ProtocolError("rate_limited", error.message, { kid, certificate: { reason: error.reason } });
    throw new ProtocolError(
      "unknown_signer",
      `No signer with key id ${kid} is registered, and the certificate chain in the record's x5c header was not accepted: ${error.message}`,
      { kid, certificate: { reason: error.reason, ...error.details } },
    );
  }
  await ctx.keys.verifyJws(record.jws, kid, validated.publicJwk, alg);
  const [leaf] = validated.path;
  await storeCertifiedSigner(ctx, {
    leaf,
    chain: validated.path.map(certificateBase64),
    trustedCaId: validated.anchor.id,
    key: { kid, alg, publicJwk: { ...validated.publicJwk } },
    label: nameField(leaf, "CN") ?? withoutNul(leaf.subject).slice(0, LABEL_LIMIT),
    organization: nameField(leaf, "O"),
    validFrom: validated.validFrom,
    validUntil: validated.validUntil,
  });
  const [row] = await ctx.db.select().from(signers).where(sql`${signers.kid} = ${kid}`);
  if (!row) throw new Error(`Signer ${kid} vanished right after it was registered from its certificate.`);
  return row;
}

/**
 * Registers a signer's key from its X.509 certificate (PEM or base64 DER), as an admin uploads it:
 * the certificate must be for signing (digitalSignature or nonRepudiation, a signing purpose, not a CA), hold an
 * Ed25519 or P-256 key, and not be expired. No chain is required: the admin vouches for it. The
 * label and organization default to the subject's CN and O. Registering a key already in the
 * directory returns it unchanged (`created` false).
 * Throws ProtocolError `invalid_request` naming what is wrong with the certificate.
 */
export async function registerSignerFromCertificate(
  ctx: LedgerContext,
  input: { certificate: string; label?: string | null; organization?: string | null },
): Promise<{ signer: Signer; created: boolean }> {
  const now = ctx.now();
  let leaf: x509.X509Certificate;
  let key: Awaited<ReturnType<typeof signerKeyOfCertificate>>;
  try {
    leaf = parseCertificate(input.certificate, "The uploaded certificate");
    checkSigningCertificate(leaf, ctx.signingPurposes);
    // A certificate that is not valid yet is accepted: the key becomes valid when it does.
    if (now > leaf.notAfter) checkValidityPeriod(leaf, now, "signer");
    key = await signerKeyOfCertificate(leaf);
  } catch (error) {
    if (error instanceof CertificateChainError) throw new ProtocolError("invalid_request", error.message, { reason: error.reason, ...error.details });
    throw error;
  }
  const label = input.label?.trim() || nameField(leaf, "CN") || withoutNul(leaf.subject).slice(0, LABEL_LIMIT);
  if (label.length > LABEL_LIMIT) throw new ProtocolError("invalid_request", `A signer label may be at most ${LABEL_LIMIT} characters.`);
  const created = await storeCertifiedSigner(ctx, {
    leaf,
    chain: [certificateBase64(leaf)],
    trustedCaId: null,
    key: { kid: key.kid, alg: key.alg, publicJwk: { ...key.publicJwk } },
    label,
    organization: input.organization?.trim() || nameField(leaf, "O"),
    validFrom: leaf.notBefore > now ? leaf.notBefore : now,
    validUntil: leaf.notAfter,
  });
  const signer = await getSigner(ctx, key.kid);
  if (!signer) throw new Error(`Signer ${key.kid} vanished right after it was registered from its certificate.`);
  return { signer, created };
}

/** The certificates behind the signers registered from one, by kid. */
export async function signerCertificatesByKid(ctx: LedgerContext): Promise<Map<string, SignerCertificate>> {
  const rows = await queryRows<{
    kid: string;
    trusted_ca_id: number | null;
    ca_subject: string | null;
    fingerprint: string;
    subject: string;
    issuer: string;
    serial_number: string;
    not_before: Date | string;
    not_after: Date | string;
  }>(
    ctx.db,
    sql`select s.kid, s.trusted_ca_id, c.subject as ca_subject, s.fingerprint, s.subject, s.issuer, s.serial_number, s.not_before, s.not_after
        from signer_certificates s left join trusted_cas c on c.id = s.trusted_ca_id`,
  );
  return new Map(
    rows.map((r) => [
      r.kid,
      {
        kid: r.kid,
        trustedCaId: r.trusted_ca_id === null ? null : Number(r.trusted_ca_id),
        trustedCaSubject: r.ca_subject,
        fingerprint: r.fingerprint,
        subject: r.subject,
        issuer: r.issuer,
        serialNumber: r.serial_number,
        notBefore: new Date(r.not_before),
        notAfter: new Date(r.not_after),
      },
    ]),
  );
}
