/**
 * The certification centres the ledger trusts (issue 6): admins upload their CA certificates; a
 * record whose `x5c` chain leads to one of them registers its signer by itself (cert-signers.ts).
 * A centre is never deleted, only distrusted, because the signers registered through it stay
 * linked to it.
 */
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { trustedCas } from "../../db/schema";
import { ProtocolError } from "../protocol/errors";
import { withoutNul } from "../protocol/text";
import { CertificateChainError, certificateFingerprint, checkCaCertificate, checkValidityPeriod, parseCertificate, type TrustAnchor } from "./cert-chain";
import type { LedgerContext } from "./context";
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
    pem: toPem(r.der),
  };
}

const caColumns = sql`c.id, c.fingerprint, c.subject, c.issuer, c.serial_number, c.not_before, c.not_after, c.der, c.added_at, c.added_by,
  c.removed_at, c.removed_by, (select count(*) from signer_certificates s where s.trusted_ca_id = c.id) as signer_count`;

/**
 * Trusts a certification centre from its CA certificate (PEM, or base64 DER). It must be a CA
 * certificate allowed to sign certificates, and valid now. Trusting a centre that is already
 * trusted returns it unchanged.
 * Throws ProtocolError `invalid_request` naming what is wrong with the certificate.
 */
export async function addTrustedCa(ctx: LedgerContext, certificate: string, addedBy: string): Promise<{ ca: TrustedCa; created: boolean }> {
  let cert: x509.X509Certificate;
  try {
    cert = parseCertificate(certificate, "The uploaded certificate");
    checkCaCertificate(cert);
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
  const [row] = await queryRows<CaRow>(ctx.db, sql`select ${caColumns} from trusted_cas c where c.fingerprint = ${fingerprint} and c.removed_at is null`);
  if (!row) throw new Error(`The trusted certification centre ${fingerprint} vanished right after it was stored.`);
  return { ca: toTrustedCa(row), created: inserted.length > 0 };
}

/** Every certification centre ever trusted, the trusted ones first, newest first. */
export async function listTrustedCas(ctx: LedgerContext): Promise<TrustedCa[]> {
  const rows = await queryRows<CaRow>(ctx.db, sql`select ${caColumns} from trusted_cas c order by (c.removed_at is null) desc, c.added_at desc, c.id desc`);
  return rows.map(toTrustedCa);
}

/**
 * Stops trusting a centre: records whose chains lead to it no longer register new signers. Signers
 * already registered through it keep their keys until revoked. Throws ProtocolError `not_found`.
 */
export async function distrustCa(ctx: LedgerContext, id: number, removedBy: string): Promise<TrustedCa> {
  await ctx.db.execute(
    sql`update trusted_cas set removed_at = ${ctx.now().toISOString()}::timestamptz, removed_by = ${removedBy} where id = ${id} and removed_at is null`,
  );
  const [row] = await queryRows<CaRow>(ctx.db, sql`select ${caColumns} from trusted_cas c where c.id = ${id}`);
  if (!row) throw new ProtocolError("not_found", `No certification centre has the id ${id}.`, { id });
  return toTrustedCa(row);
}

/** Parsed certificates by fingerprint: a certificate's DER never changes, so parsing it once is enough. */
const parsed = new Map<string, x509.X509Certificate>();

/** The certificates of the centres trusted now, for chain validation. */
export async function activeTrustAnchors(ctx: LedgerContext): Promise<TrustAnchor[]> {
  const rows = await queryRows<{ id: number; fingerprint: string; der: Uint8Array }>(
    ctx.db,
    sql`select id, fingerprint, der from ${trustedCas} where removed_at is null order by id`,
  );
  return rows.map((r) => {
    let certificate = parsed.get(r.fingerprint);
    if (!certificate) {
      certificate = parseCertificate(new Uint8Array(r.der));
      parsed.set(r.fingerprint, certificate);
    }
    return { id: Number(r.id), fingerprint: r.fingerprint, certificate };
  });
}
