/**
 * What the console does with the signer directory beyond `lib/ledger/signers/signers.ts`: list keys with
 * their certificates, edit a label and organization, and revoke from a chosen time (bringing a
 * certificate's scheduled end forward when it comes earlier).
 */
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { signerCertificatesByKid, type SignerCertificate } from "../ledger/signers/cert-signers";
import type { LedgerContext } from "../ledger/context";
import { applyRevocation, getSigner, listSignersWithCounts, registerSigner, revocationTime, type Signer } from "../ledger/signers/signers";
import { ProtocolError } from "../protocol/errors";
import { publicSignerKey, signerKid } from "../protocol/signer-key";

export type AdminSigner = Signer & { entryCount: number; certificate: SignerCertificate | null };

/** The whole directory with each key's entry count and certificate, oldest first. */
export async function listSignersForAdmin(ctx: LedgerContext): Promise<AdminSigner[]> {
  const [signers, certificates] = await Promise.all([listSignersWithCounts(ctx), signerCertificatesByKid(ctx)]);
  return signers.map((s) => ({ ...s, certificate: certificates.get(s.kid) ?? null }));
}

/** Changes a signer's label and organization (its key and history never change). Throws ProtocolError `not_found` or `invalid_request`. */
export async function updateSignerDetails(ctx: LedgerContext, kid: string, input: { label: string; organization: string | null }): Promise<Signer> {
  const label = input.label?.trim();
  if (!label || label.length > 200) throw new ProtocolError("invalid_request", "A signer needs a label of 1 to 200 characters.");
  const organization = input.organization?.trim() || null;
  if (organization && organization.length > 200) throw new ProtocolError("invalid_request", "An organization name may be at most 200 characters.");
  const rows = await queryRows(ctx.db, sql`update signers set label = ${label}, organization = ${organization} where kid = ${kid} returning kid`);
  if (rows.length === 0) throw new ProtocolError("not_found", `No signer has the key id ${kid}.`, { kid });
  return (await getSigner(ctx, kid))!;
}

/**
 * Revokes a signer's key from `at` (now or later; the rule is `revocationTime`): its records are
 * rejected from then on. Final. A key revoked already from an earlier time stays as it is; a
 * revocation still ahead (a certificate's end of validity, or an earlier revocation for later) is
 * brought forward. A time more than a few minutes in the past is refused.
 * Returns the signer and whether this call changed it. Throws ProtocolError `not_found` or `invalid_request`.
 */
export async function revokeSignerFrom(ctx: LedgerContext, kid: string, input: { at: Date; reason: string }): Promise<{ signer: Signer; changed: boolean }> {
  const reason = input.reason?.trim();
  if (!reason || reason.length > 500) throw new ProtocolError("invalid_request", "Say why the key is revoked (1 to 500 characters): the public directory shows it.");
  const at = revocationTime(input.at, ctx.now());
  return applyRevocation(ctx, kid, { at, reason });
}

/**
 * Registers a signer from a public JWK (`registerSigner`), saying whether it is new: registering a
 * key already in the directory leaves it unchanged. Members that only describe the JWK (`kid`,
 * `alg`, `use`, `key_ops`) are dropped. Throws ProtocolError `invalid_request` or `unsupported_alg`.
 */
export async function registerSignerFromJwk(
  ctx: LedgerContext,
  input: { jwk: Record<string, unknown>; label: string; organization?: string | null; validFrom?: Date },
): Promise<{ signer: Signer; created: boolean }> {
  const { kid: _kid, alg: _alg, use: _use, key_ops: _ops, ...publicJwk } = input.jwk;
  const { publicJwk: key } = publicSignerKey(publicJwk);
  const existed = (await getSigner(ctx, await signerKid(key))) !== null;
  const signer = await registerSigner(ctx, { publicJwk, label: input.label, organization: input.organization ?? null, validFrom: input.validFrom });
  return { signer, created: !existed };
}
