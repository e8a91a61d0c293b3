/**
 * The health of a Sealbook process: is the database answering, is every accepted entry sealed
 * before the `sealBy` its receipt promised (lib/ledger/health.ts), is anchoring keeping up, can
 * receipts be signed. `GET /api/v1/health` serves `getHealth`; the admin console reads it too.
 * Database reads only, no RPC call, so a load balancer or a console may ask every few seconds.
 */
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import type { SealbookConfig } from "../config";
import type { LedgerContext } from "../ledger/context";
import { getReceiptAlarms, getReplicasHealth, plural, type HealthStatus, type ReceiptAlarms, type ReplicasHealth } from "../ledger/health";
import type { Runtime } from "../ledger/runtime";
import { logger } from "../observability/logger";
import { getAnchoringState } from "./anchoring/anchoring-state";
import { getReceiptIssuance } from "./receipt-issuance";

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
    // The driver's message may name roles, hosts and addresses: it goes to the log, not to the public answer.
    logger().error({ err: error }, "health: the database does not answer");
    const notRun = { status: "alarm" as const, message: "Not checked: the database does not answer." };
    return {
      status: "alarm",
      checkedAt: now,
      checks: { database: { status: "alarm", message: "The database does not answer. The server's log says why." }, sealing: notRun, anchoring: notRun, receipts },
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
