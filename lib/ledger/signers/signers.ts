import { and, asc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import type { JWK } from "jose";
import { queryRows } from "../../../db/client";
import { signers } from "../../../db/schema";
import { ProtocolError } from "../../protocol/errors";
import { publicSignerKey, signerKid, type SignerPublicJwk } from "../../protocol/signer-key";
import type { LedgerContext } from "../context";
import { signerValidityAt } from "./validity";

/** A signer as the public directory shows it. */
export interface Signer {
  kid: string;
  alg: string;
  publicJwk: SignerPublicJwk;
  label: string;
  organization: string | null;
  validFrom: Date;
  revokedAt: Date | null;
  revocationReason: string | null;
  status: "active" | "revoked" | "not_yet_valid";
}

export type SignerRow = typeof signers.$inferSelect;

function toSigner(row: SignerRow, now: Date): Signer {
  const validity = signerValidityAt(row, now);
  const status = validity === "valid" ? "active" : validity === "revoked" ? "revoked" : "not_yet_valid";
  return {
    kid: row.kid,
    alg: row.alg,
    publicJwk: row.publicJwk as unknown as SignerPublicJwk,
    label: row.label,
    organization: row.organization,
    validFrom: row.validFrom,
    revokedAt: row.revokedAt,
    revocationReason: row.revocationReason,
    status,
  };
}

export interface RegisterSignerInput {
  publicJwk: JWK;
  label: string;
  organization?: string | null;
  validFrom?: Date;
}

/**
 * Adds a public key to the signer directory, with its RFC 7638 thumbprint as kid.
 * Registering the same key again returns the existing entry unchanged.
 * Throws ProtocolError `invalid_request` or `unsupported_alg` for an unusable key or label.
 */
export async function registerSigner(ctx: LedgerContext, input: RegisterSignerInput): Promise<Signer> {
  const { publicJwk, alg } = publicSignerKey(input.publicJwk);
  const label = input.label?.trim();
  if (!label || label.length > 200) throw new ProtocolError("invalid_request", "A signer needs a label of 1 to 200 characters.");
  const kid = await signerKid(publicJwk);
  const validFrom = input.validFrom ?? ctx.now();
  await ctx.db
    .insert(signers)
    .values({ kid, alg, publicJwk: { ...publicJwk }, label, organization: input.organization ?? null, validFrom })
    .onConflictDoNothing();
  const signer = await getSigner(ctx, kid);
  if (!signer) throw new Error(`Signer ${kid} vanished right after it was registered.`);
  return signer;
}

/** One signer by kid, or null. */
export async function getSigner(ctx: LedgerContext, kid: string): Promise<Signer | null> {
  const rows = await ctx.db.select().from(signers).where(eq(signers.kid, kid));
  return rows[0] ? toSigner(rows[0], ctx.now()) : null;
}

/** The whole signer directory, oldest first. */
export async function listSigners(ctx: LedgerContext): Promise<Signer[]> {
  const rows = await ctx.db.select().from(signers).orderBy(asc(signers.createdAt), asc(signers.kid));
  const now = ctx.now();
  return rows.map((row) => toSigner(row, now));
}

/**
 * The signer directory with the number of entries each key signed. Counting reads every entry,
 * about a second per million: for operators, not for the public directory.
 */
export async function listSignersWithCounts(ctx: LedgerContext): Promise<Array<Signer & { entryCount: number }>> {
  const counts = await queryRows<{ kid: string; n: string | number }>(ctx.db, sql`select s.kid, c.n from (select signer_id, count(*) as n from entries group by signer_id) c join signers s on s.id = c.signer_id`);
  const byKid = new Map(counts.map((c) => [c.kid, Number(c.n)]));
  return (await listSigners(ctx)).map((signer) => ({ ...signer, entryCount: byKid.get(signer.kid) ?? 0 }));
}

/** Signer rows for a set of kids, read fresh (status is never cached). */
export async function signersByKid(ctx: LedgerContext, kids: string[]): Promise<Map<string, SignerRow>> {
  if (kids.length === 0) return new Map();
  const rows = await ctx.db.select().from(signers).where(inArray(signers.kid, kids));
  return new Map(rows.map((r) => [r.kid, r]));
}

/** How far in the past a revocation's time may lie and still count as now: the time it takes to fill in the console's form or type the command. */
export const REVOCATION_PAST_TOLERANCE_MS = 5 * 60_000;

/**
 * The time a revocation asked for at `at` takes effect (the one rule, for the console and the
 * CLI): now when `at` is absent or lies at most a few minutes back, `at` when it is later. A time
 * further in the past is refused: records already accepted under the key would then look invalid
 * to the audit, and the ledger cannot un-accept them.
 * Throws ProtocolError `invalid_request` naming the time and what to do.
 */
export function revocationTime(at: Date | undefined, now: Date): Date {
  if (at === undefined) return now;
  if (Number.isNaN(at.getTime())) throw new ProtocolError("invalid_request", "The revocation time is not a valid time.");
  if (at.getTime() < now.getTime() - REVOCATION_PAST_TOLERANCE_MS) {
    throw new ProtocolError(
      "invalid_request",
      `A revocation cannot take effect in the past (${at.toISOString()}): records already accepted under this key would look invalid to the audit. Revoke it from now on, or from a later time.`,
      { at: at.toISOString() },
    );
  }
  return at < now ? now : at;
}

/**
 * Revokes a signer from `at` (default now), as given: records it accepts from then on are rejected
 * (`revoked_signer`). Revocation is final; revoking twice keeps the earlier time, and a planned end
 * later than `at` (a certificate's expiry) is brought forward to `at`. A time a person chose goes
 * through `revocationTime` first (`revokeSignerFrom` in the console, `sealbook signer revoke`).
 * Returns the signer and whether this call changed it. Throws ProtocolError `not_found` for an unknown kid.
 */
export async function applyRevocation(ctx: LedgerContext, kid: string, options: { at?: Date; reason?: string | null } = {}): Promise<{ signer: Signer; changed: boolean }> {
  const existing = await getSigner(ctx, kid);
  if (!existing) throw new ProtocolError("not_found", `No signer has the key id ${kid}.`, { kid });
  const at = options.at ?? ctx.now();
  // A key may already carry a planned end (a certificate's expiry): revoking earlier moves it
  // forward; an end that comes first stays.
  const changed = await ctx.db
    .update(signers)
    .set({ revokedAt: at, revocationReason: options.reason ?? null })
    .where(and(eq(signers.kid, kid), or(isNull(signers.revokedAt), gt(signers.revokedAt, at))))
    .returning({ kid: signers.kid });
  return { signer: (await getSigner(ctx, kid))!, changed: changed.length > 0 };
}

/** `applyRevocation`, answering the signer only. */
export async function revokeSigner(ctx: LedgerContext, kid: string, options: { at?: Date; reason?: string } = {}): Promise<Signer> {
  return (await applyRevocation(ctx, kid, options)).signer;
}
