/**
 * The ledger's own alarm: is every accepted entry sealed before the `sealBy` its receipt promised.
 * The whole health answer, with anchoring and receipts, is lib/chain/health.ts. Database reads
 * only, no RPC call, so a load balancer or a console may ask every few seconds.
 */
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { namesRoot } from "../../db/root-key";
import type { SealbookConfig } from "../config";
import { bytesToHex, hashToBytes, type Hash } from "../protocol/hex";
import { metrics } from "../observability/metrics";
import type { LedgerContext } from "./context";
import { readHead } from "./head";
import { sealByDelaySeconds } from "./receipts";
import type { ReadRouting, ReplicaLag } from "./replicas";

/** ok: nothing to do; warn: look soon; alarm: a promise is broken or about to be. */
export type HealthStatus = "ok" | "warn" | "alarm";

/** A pending entry close to, or past, the sealBy of its receipt. */
export interface OverdueEntry {
  entryHash: Hash;
  acceptedAt: Date;
  /** Unix seconds, as in the receipt. */
  sealBy: number;
  state: "near" | "overdue";
}

/** The sealing check: pending entries against the sealBy promised in their receipts. */
export interface ReceiptAlarms {
  status: HealthStatus;
  message: string;
  pendingCount: number;
  /** Pending entries within half the margin of their sealBy (not yet past it). */
  nearCount: number;
  /** Pending entries past their sealBy: their receipts are now evidence against the ledger. */
  overdueCount: number;
  oldestAcceptedAt: Date | null;
  /** The earliest sealBy of a pending entry (unix seconds), or null. */
  oldestSealBy: number | null;
  /** Seconds from acceptance to sealBy: SEAL_INTERVAL_SECONDS + SEAL_BY_MARGIN_SECONDS. */
  sealByDelaySeconds: number;
  /** Up to 20 of the oldest near or overdue entries. */
  entries: OverdueEntry[];
}

export interface ReplicasHealth {
  status: HealthStatus;
  message: string;
  replicas: ReplicaLag[];
}

/** A replica further behind than this is a warning: its readers see a head this old (what it lacks is still read from the primary). */
export const REPLICA_LAG_WARN_SECONDS = 30;

/** Each replica's lag, and the largest into the `sealbook_replica_lag_seconds` gauge. */
export async function getReplicasHealth(reads: ReadRouting): Promise<ReplicasHealth> {
  const replicas = await reads.lags();
  const lags = replicas.map((r) => r.lagSeconds).filter((l): l is number => l !== null);
  metrics().replicaLag.set(lags.length > 0 ? Math.max(...lags) : 0);
  const down = replicas.filter((r) => r.lagSeconds === null);
  const behind = replicas.filter((r) => (r.lagSeconds ?? 0) > REPLICA_LAG_WARN_SECONDS);
  if (down.length > 0) {
    return { status: "warn", message: `${down.length} of ${replicas.length} read ${plural(replicas.length, "replica does", "replicas do")} not answer; public reads go to the primary.`, replicas };
  }
  if (behind.length > 0) return { status: "warn", message: `${behind.length} read ${plural(behind.length, "replica is", "replicas are")} more than ${REPLICA_LAG_WARN_SECONDS} s behind the primary.`, replicas };
  return { status: "ok", message: `${replicas.length} read ${plural(replicas.length, "replica", "replicas")}, at most ${Math.max(0, ...lags).toFixed(1)} s behind the primary.`, replicas };
}

const LISTED = 20;

/**
 * The sealing alarms: pending entries near or past the `sealBy` of their receipts, where
 * sealBy = floor(acceptedAt) + SEAL_INTERVAL_SECONDS + SEAL_BY_MARGIN_SECONDS (as `sealByOf`).
 * `warn` once an entry is within half the margin of its sealBy, `alarm` once one is past it.
 * Reads the pending set through its index (entries naming the head root), oldest first.
 */
export async function getReceiptAlarms(
  ctx: LedgerContext,
  config: Pick<SealbookConfig, "SEAL_INTERVAL_SECONDS" | "SEAL_BY_MARGIN_SECONDS">,
  now: Date = ctx.now(),
): Promise<ReceiptAlarms> {
  const delay = sealByDelaySeconds(config);
  const nowSeconds = now.getTime() / 1000;
  // sealBy passed: floor(accepted) + delay < now. Near: within half the margin of it.
  const overdueBelow = nowSeconds - delay;
  const nearBelow = nowSeconds - delay + Math.ceil(config.SEAL_BY_MARGIN_SECONDS) / 2;
  const head = await readHead(ctx.db, ctx.genesisRoot);
  const headRoot = Buffer.from(hashToBytes(head.root));
  const [counts] = await queryRows<{ pending: string | number; near: string | number; overdue: string | number; oldest: Date | string | null }>(
    ctx.db,
    sql`select count(*) as pending,
               count(*) filter (where floor(extract(epoch from accepted_at)) < ${nearBelow}::float8) as near,
               count(*) filter (where floor(extract(epoch from accepted_at)) < ${overdueBelow}::float8) as overdue,
               min(accepted_at) as oldest
        from entries where ${namesRoot(sql`prev_root`, headRoot)}`,
  );
  const rows = await queryRows<{ entry_hash: Uint8Array; accepted_at: Date | string }>(
    ctx.db,
    sql`select entry_hash, accepted_at from entries where ${namesRoot(sql`prev_root`, headRoot)} order by seq limit ${LISTED}`,
  );
  const entries: OverdueEntry[] = [];
  for (const row of rows) {
    const acceptedAt = new Date(row.accepted_at);
    const sealBy = Math.floor(acceptedAt.getTime() / 1000) + delay;
    const state = sealBy < nowSeconds ? "overdue" : Math.floor(acceptedAt.getTime() / 1000) < nearBelow ? "near" : null;
    if (state) entries.push({ entryHash: bytesToHex(row.entry_hash), acceptedAt, sealBy, state });
  }
  const pendingCount = Number(counts.pending);
  const overdueCount = Number(counts.overdue);
  const nearCount = Number(counts.near) - overdueCount;
  const oldestAcceptedAt = counts.oldest ? new Date(counts.oldest) : null;
  const oldestSealBy = oldestAcceptedAt ? Math.floor(oldestAcceptedAt.getTime() / 1000) + delay : null;
  const status: HealthStatus = overdueCount > 0 ? "alarm" : nearCount > 0 ? "warn" : "ok";
  const message =
    overdueCount > 0
      ? `${overdueCount} accepted ${plural(overdueCount, "entry is", "entries are")} past the sealBy of ${plural(overdueCount, "its receipt", "their receipts")} and still not in a block: seal now (\`sealbook seal\`) and find out why sealing stopped.`
      : nearCount > 0
        ? `${nearCount} pending ${plural(nearCount, "entry is", "entries are")} close to the sealBy promised in ${plural(nearCount, "its receipt", "their receipts")}: check that the sealer is running.`
        : pendingCount > 0
          ? `${pendingCount} pending ${plural(pendingCount, "entry", "entries")}, all well within their sealBy.`
          : "No entry is waiting to be sealed.";
  return { status, message, pendingCount, nearCount, overdueCount, oldestAcceptedAt, oldestSealBy, sealByDelaySeconds: delay, entries };
}

export function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
