/**
 * The ledger's own alarms: is the database answering, is every accepted entry sealed before the
 * `sealBy` its receipt promised, is anchoring keeping up. `GET /api/v1/health` serves `getHealth`;
 * the admin console reads `getHealth` and `getReceiptAlarms`. Database reads only, no RPC call,
 * so a load balancer or a console may ask every few seconds.
 */
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { getAnchoringState } from "../chain/anchoring-state";
import type { SealbookConfig } from "../config";
import { bytesToHex, hashToBytes, type Hash } from "../protocol/hex";
import type { Runtime } from "../server/runtime";
import { metrics } from "../observability/metrics";
import type { LedgerContext } from "./context";
import { readHead } from "./head";
import { getReceiptIssuance, sealByDelaySeconds } from "./receipts";
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

/** The anchoring check. */
export interface AnchoringHealth {
  status: HealthStatus;
  message: string;
  enabled: boolean;
  ledgerHead: number;
  anchoredHeight: number;
  /** Sealed blocks not anchored and confirmed yet. */
  lag: number;
  /** When the oldest block not anchored yet was sealed. */
  oldestUnanchoredSealedAt: Date | null;
  alarm: { kind: string; height: number | null; message: string; raisedAt: Date } | null;
  lastError: { message: string; height: number | null; at: Date } | null;
}

/** The receipts check: can this process sign receipts, and for which registry. */
export interface ReceiptsHealth {
  status: HealthStatus;
  message: string;
  signer: string | null;
  chainId: number | null;
  registry: string | null;
}

export interface Health {
  /** The worst status of the checks. */
  status: HealthStatus;
  checkedAt: Date;
  checks: {
    database: { status: HealthStatus; message: string };
    sealing: ReceiptAlarms | { status: HealthStatus; message: string };
    anchoring: AnchoringHealth | { status: HealthStatus; message: string };
    receipts: ReceiptsHealth;
    /** Present with DATABASE_READ_URL: each read replica's lag; a replica down is a warning (reads go to the primary). */
    replicas?: ReplicasHealth;
  };
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
        from entries where prev_root = ${headRoot}`,
  );
  const rows = await queryRows<{ entry_hash: Uint8Array; accepted_at: Date | string }>(
    ctx.db,
    sql`select entry_hash, accepted_at from entries where prev_root = ${headRoot} order by seq limit ${LISTED}`,
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

/**
 * The anchoring check, from the database (see `getAnchoringState`): `alarm` when a chain alarm
 * stands or the oldest unanchored block waits longer than max(600 s, 10 anchoring intervals);
 * `warn` past max(120 s, 3 intervals), or when the last pass failed and blocks wait.
 */
export async function getAnchoringHealth(ctx: LedgerContext, config: SealbookConfig, now: Date = ctx.now()): Promise<AnchoringHealth> {
  const state = await getAnchoringState(ctx);
  const [oldest] = await queryRows<{ sealed_at: Date | string | null }>(
    ctx.db,
    sql`select min(sealed_at) as sealed_at from blocks where height > ${state.anchoredHeight}`,
  );
  const oldestUnanchoredSealedAt = oldest?.sealed_at ? new Date(oldest.sealed_at) : null;
  const waited = oldestUnanchoredSealedAt ? (now.getTime() - oldestUnanchoredSealedAt.getTime()) / 1000 : 0;
  const warnAfter = Math.max(120, 3 * config.ANCHOR_INTERVAL_SECONDS);
  const alarmAfter = Math.max(600, 10 * config.ANCHOR_INTERVAL_SECONDS);
  const enabled = config.SEALBOOK_CHAIN !== "off";
  const alarm = state.alarm ? { kind: state.alarm.kind, height: state.alarm.height, message: state.alarm.message, raisedAt: state.alarm.raisedAt } : null;
  const base = { enabled, ledgerHead: state.ledgerHead, anchoredHeight: state.anchoredHeight, lag: state.lag, oldestUnanchoredSealedAt, alarm, lastError: state.lastError };
  if (!enabled) return { ...base, status: "ok", message: "Anchoring is off (SEALBOOK_CHAIN=off): this ledger's roots are not published on a blockchain." };
  if (alarm) return { ...base, status: "alarm", message: `Chain alarm (${alarm.kind}): ${alarm.message}` };
  const behind = `${state.lag} sealed ${plural(state.lag, "block is", "blocks are")} not anchored yet; the oldest was sealed ${Math.round(waited)} s ago`;
  if (state.lag > 0 && waited > alarmAfter) return { ...base, status: "alarm", message: `${behind} (alarm after ${alarmAfter} s).` };
  if (state.lag > 0 && waited > warnAfter) return { ...base, status: "warn", message: `${behind} (warning after ${warnAfter} s).` };
  if (state.lag > 0 && state.lastError) return { ...base, status: "warn", message: `${behind}, and the last anchoring attempt failed: ${state.lastError.message}` };
  return { ...base, status: "ok", message: state.lag > 0 ? `${behind}: within the expected delay.` : `Every sealed block is anchored (height ${state.anchoredHeight}).` };
}

/**
 * Every check of the ledger's health; `status` is the worst of them. Never throws: a database
 * that does not answer is itself an `alarm` (and the other checks say they could not run).
 */
export async function getHealth(runtime: Pick<Runtime, "config" | "ledger" | "reads">, now: Date = runtime.ledger.now()): Promise<Health> {
  const { config, ledger } = runtime;
  const receipts = await getReceiptsHealth(config);
  try {
    await queryRows(ledger.db, sql`select 1 as one`);
  } catch (error) {
    const notRun = { status: "alarm" as const, message: "Not checked: the database does not answer." };
    return {
      status: "alarm",
      checkedAt: now,
      checks: { database: { status: "alarm", message: `The database does not answer: ${(error as Error).message}` }, sealing: notRun, anchoring: notRun, receipts },
    };
  }
  const [sealing, anchoring, replicas] = await Promise.all([
    getReceiptAlarms(ledger, config, now),
    getAnchoringHealth(ledger, config, now),
    runtime.reads ? getReplicasHealth(runtime.reads) : undefined,
  ]);
  const database = { status: "ok" as const, message: `The ${runtime.ledger.driver === "pglite" ? "embedded " : ""}database answers.` };
  const statuses = [database.status, sealing.status, anchoring.status, receipts.status, ...(replicas ? [replicas.status] : [])];
  return { status: worst(statuses), checkedAt: now, checks: { database, sealing, anchoring, receipts, ...(replicas ? { replicas } : {}) } };
}

async function getReceiptsHealth(config: SealbookConfig): Promise<ReceiptsHealth> {
  const issuance = await getReceiptIssuance(config);
  if (issuance.signer) {
    const { address, domain } = issuance.signer;
    return {
      status: "ok",
      message: `Receipts are signed by ${address} for the registry ${domain.verifyingContract} on chain ${domain.chainId}.`,
      signer: address,
      chainId: domain.chainId,
      registry: domain.verifyingContract,
    };
  }
  return { status: config.SEALBOOK_CHAIN === "off" ? "ok" : "warn", message: issuance.unavailable, signer: null, chainId: null, registry: null };
}

const RANK: Record<HealthStatus, number> = { ok: 0, warn: 1, alarm: 2 };

function worst(statuses: HealthStatus[]): HealthStatus {
  return statuses.reduce((a, b) => (RANK[b] > RANK[a] ? b : a), "ok");
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
