/**
 * The certification centres the ledger trusts (issue 6): admins upload their CA certificates; a
 * record whose `x5c` chain leads to one of them registers its signer by itself (cert-signers.ts).
 * A centre is never deleted, only distrusted, because the signers registered through it stay
 * linked to it.
 */
import { sql } from "drizzle-orm";
import { queryRows } from "../../../db/client";
import { trustedCas } from "../../../db/schema";
import { ProtocolError } from "../../protocol/errors";
import { withoutNul } from "../../protocol/text";
import type { TrustAnchor } from "./cert-chain";
import { CertificateChainError, caKeyId, certificateFingerprint, checkCaCertificate, checkCertificateKey, checkValidityPeriod, parseCertificate } from "./cert-rules";
import type { LedgerContext } from "../context";
import { revokeSigner } from "./signers";
import type { x509 } from "./x509";

/** A trusted (or formerly trusted) certification centre. */
export interface TrustedCa {
  id: number;
  fingerprint: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  addedAt: Date;
  addedBy: string;
  removedAt: Date | null;
  removedBy: string | null;
  /** Signers registered through this centre. */
  signerCount: number;
  /** Of those, the ones whose key is not revoked yet (a planned end still ahead counts as active). */
  activeSignerCount: number;
  pem: string;
}

type CaRow = {
  id: number;
  fingerprint: string;
  subject: string;
  issuer: string;
  serial_number: string;
  not_before: Date | string;
  not_after: Date | string;
  der: Uint8Array;
  added_at: Date | string;
  added_by: string;
  removed_at: Date | string | null;
  removed_by: string | null;
  signer_count: string | number;
  active_signer_count: string | number;
};

function toPem(der: Uint8Array): string {
  const lines = Buffer.from(der).toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

function toTrustedCa(r: CaRow): TrustedCa {
  return {
    id: Number(r.id),
    fingerprint: r.fingerprint,
    subject: r.subject,
    issuer: r.issuer,
    serialNumber: r.serial_number,
    notBefore: new Date(r.not_before),
    notAfter: new Date(r.not_after),
    addedAt: new Date(r.added_at),
    addedBy: r.added_by,
    removedAt: r.removed_at === null ? null : new Date(r.removed_at),
    removedBy: r.removed_by,
    signerCount: Number(r.signer_count),
    activeSignerCount: Number(r.active_signer_count),
    pem: toPem(r.der),
  };
}

const caColumnsAt = (now: Date) => sql`c.id, c.fingerprint, c.subject, c.issuer, c.serial_number, c.not_before, c.not_after, c.der, c.added_at, c.added_by,
  c.removed_at, c.removed_by, (select count(*) from signer_certificates s where s.trusted_ca_id = c.id) as signer_count,
  (select count(*) from signer_certificates s join signers k on k.kid = s.kid
    where s.trusted_ca_id = c.id and (k.revoked_at is null or k.revoked_at > ${now.toISOString()}::timestamptz)) as active_signer_count`;

/**
 * Trusts a certification centre from its CA certificate (PEM, or base64 DER). It must be a CA
 * certificate allowed to sign certificates, with a key chains may use (cert-rules.ts), and valid now. Trusting a centre that is already
 * trusted returns it unchanged.
 * Throws ProtocolError `invalid_request` naming what is wrong with the certificate.
 */
export async function addTrustedCa(ctx: LedgerContext, certificate: string, addedBy: string): Promise<{ ca: TrustedCa; created: boolean }> {
  let cert: x509.X509Certificate;
  try {
    cert = parseCertificate(certificate, "The uploaded certificate");
    checkCaCertificate(cert);
    checkCertificateKey(cert);
    checkValidityPeriod(cert, ctx.now(), "certification centre");
  } catch (error) {
    if (error instanceof CertificateChainError) throw new ProtocolError("invalid_request", error.message, { reason: error.reason, ...error.details });
    throw error;
  }
  const fingerprint = await certificateFingerprint(cert);
  const inserted = await queryRows<{ id: number }>(
    ctx.db,
    sql`insert into trusted_cas (fingerprint, subject, issuer, serial_number, not_before, not_after, der, added_at, added_by)
        values (${fingerprint}, ${withoutNul(cert.subject)}, ${withoutNul(cert.issuer)}, ${cert.serialNumber}, ${cert.notBefore.toISOString()}::timestamptz,
                ${cert.notAfter.toISOString()}::timestamptz, ${Buffer.from(cert.rawData)}, ${ctx.now().toISOString()}::timestamptz, ${addedBy})
        on conflict (fingerprint) where removed_at is null do nothing
        returning id`,
  );
  const [row] = await queryRows<CaRow>(ctx.db, sql`select ${caColumnsAt(ctx.now())} from trusted_cas c where c.fingerprint = ${fingerprint} and c.removed_at is null`);
  if (!row) throw new Error(`The trusted certification centre ${fingerprint} vanished right after it was stored.`);
  return { ca: toTrustedCa(row), created: inserted.length > 0 };
}

/** Every certification centre ever trusted, the trusted ones first, newest first. */
export async function listTrustedCas(ctx: LedgerContext): Promise<TrustedCa[]> {
  const rows = await queryRows<CaRow>(ctx.db, sql`select ${caColumnsAt(ctx.now())} from trusted_cas c order by (c.removed_at is null) desc, c.added_at desc, c.id desc`);
  return rows.map(toTrustedCa);
}

/**
 * Stops trusting a centre: records whose chains lead to it no longer register new signers. Signers
 * already registered through it keep their keys until revoked: the answer's `activeSignerCount`
 * says how many, and `revokeSignersOfCa` revokes them. Throws ProtocolError `not_found`.
 */
export async function distrustCa(ctx: LedgerContext, id: number, removedBy: string): Promise<TrustedCa> {
  await ctx.db.execute(
    sql`update trusted_cas set removed_at = ${ctx.now().toISOString()}::timestamptz, removed_by = ${removedBy} where id = ${id} and removed_at is null`,
  );
  return getTrustedCa(ctx, id);
}

/** One certification centre, trusted or not. Throws ProtocolError `not_found`. */
export async function getTrustedCa(ctx: LedgerContext, id: number): Promise<TrustedCa> {
  const [row] = await queryRows<CaRow>(ctx.db, sql`select ${caColumnsAt(ctx.now())} from trusted_cas c where c.id = ${id}`);
  if (!row) throw new ProtocolError("not_found", `No certification centre has the id ${id}.`, { id });
  return toTrustedCa(row);
}

/**
 * Revokes, from now on, every signer key registered through the centre `id` that is still active,
 * for when the centre stops being trusted (a key it certified may be no better than the centre).
 * Only a distrusted centre's signers can be revoked this way. Returns the kids revoked.
 * Throws ProtocolError `not_found`, or `invalid_request` while the centre is still trusted.
 */
export async function revokeSignersOfCa(ctx: LedgerContext, id: number, reason?: string): Promise<string[]> {
  const ca = await getTrustedCa(ctx, id);
  if (!ca.removedAt) {
    throw new ProtocolError("invalid_request", `The certification centre ${ca.subject} is still trusted; distrust it before revoking the signers it registered.`, { id });
  }
  const now = ctx.now();
  const kids = await queryRows<{ kid: string }>(
    ctx.db,
    sql`select s.kid from signer_certificates s join signers k on k.kid = s.kid
        where s.trusted_ca_id = ${id} and (k.revoked_at is null or k.revoked_at > ${now.toISOString()}::timestamptz) order by s.kid`,
  );
  const why = reason?.trim() || `Registered through the certification centre ${ca.subject}, which is no longer trusted (since ${ca.removedAt.toISOString()}).`;
  for (const { kid } of kids) await revokeSigner(ctx, kid, { at: now, reason: why });
  return kids.map((k) => k.kid);
}

/** Parsed certificates and their key identifiers by fingerprint: a certificate's DER never changes, so reading it once is enough. */
const parsed = new Map<string, { certificate: x509.X509Certificate; keyId: string }>();

/** The certificates of the centres trusted now, for chain validation. */
export async function activeTrustAnchors(ctx: LedgerContext): Promise<TrustAnchor[]> {
  const rows = await queryRows<{ id: number; fingerprint: string; der: Uint8Array }>(
    ctx.db,
    sql`select id, fingerprint, der from ${trustedCas} where removed_at is null order by id`,
  );
  return Promise.all(
    rows.map(async (r) => {
      let known = parsed.get(r.fingerprint);
      if (!known) {
        const certificate = parseCertificate(new Uint8Array(r.der));
        known = { certificate, keyId: await caKeyId(certificate) };
        parsed.set(r.fingerprint, known);
      }
      return { id: Number(r.id), fingerprint: r.fingerprint, ...known };
    }),
  );
}
