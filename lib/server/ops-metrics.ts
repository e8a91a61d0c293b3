/**
 * The gauges `GET /metrics` reads from the database and the chain rather than counts: pending
 * entries and receipt alarms, anchoring lag, the head, pool use, replica lag (refreshed at each
 * scrape, database reads only), and the anchorer's balance and how long it lasts (read from the
 * chain every minute, never during a scrape, so a slow RPC cannot stall one).
 */
import { sql } from "drizzle-orm";
import { formatEther } from "viem";
import { POOL_APPLICATION_NAME, queryRows } from "../../db/client";
import type { AnchorJob } from "../chain/anchoring/anchor-job";
import { getAnchoringHealth } from "../chain/health";
import { getReceiptAlarms, getReplicasHealth } from "../ledger/health";
import { readHead } from "../ledger/head";
import { logger } from "../observability/logger";
import { installMetricsRefresh, metrics } from "../observability/metrics";
import type { Runtime } from "./runtime";

/** A scrape waits at most this long for the database; the gauges keep their last values after. */
const REFRESH_TIMEOUT_MS = 5_000;
/** How often the anchorer's balance is read. */
const BALANCE_INTERVAL_MS = 60_000;
/** The spend the balance forecast extrapolates: the anchors of this many days. */
const SPEND_WINDOW_DAYS = 7;

/**
 * Installs the scrape-time refresher for `runtime`, and, with an anchoring job, starts reading
 * the anchorer's balance every minute. `stop()` ends that timer.
 */
export function startOperationsMetrics(runtime: Runtime, anchorJob: AnchorJob | null): { stop(): void } {
  const m = metrics();
  m.dbPoolSize.set(runtime.handle.driver === "postgres" ? runtime.config.DATABASE_POOL_SIZE : 1);
  m.replicaLag.set(0);
  installMetricsRefresh(async () => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, REFRESH_TIMEOUT_MS)));
    await Promise.race([refreshDatabaseGauges(runtime).catch((error: unknown) => logger().warn({ err: error }, "metrics: could not read the ledger's gauges")), timeout]);
    clearTimeout(timer);
  });
  if (!anchorJob) return { stop: () => {} };
  const read = () =>
    void refreshBalanceGauges(runtime, anchorJob).catch((error: unknown) =>
      logger().warn({ error: anchorJob.redact(error instanceof Error ? error.message : String(error)) }, "metrics: could not read the anchorer's balance"),
    );
  read();
  const timer = setInterval(read, BALANCE_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

async function refreshDatabaseGauges(runtime: Runtime): Promise<void> {
  const { ledger, config, handle } = runtime;
  const m = metrics();
  // getReplicasHealth feeds sealbook_replica_lag_seconds.
  const [alarms, anchoring, head] = await Promise.all([getReceiptAlarms(ledger, config), getAnchoringHealth(ledger, config), readHead(ledger.db, ledger.genesisRoot), runtime.reads && getReplicasHealth(runtime.reads)]);
  m.pendingEntries.set(alarms.pendingCount);
  m.receiptAlarms.set({ state: "near" }, alarms.nearCount);
  m.receiptAlarms.set({ state: "overdue" }, alarms.overdueCount);
  m.headHeight.set(head.height);
  m.anchorLagBlocks.set(anchoring.enabled ? anchoring.lag : 0);
  m.anchorLagSeconds.set(anchoring.enabled && anchoring.oldestUnanchoredSealedAt ? Math.max(0, (Date.now() - anchoring.oldestUnanchoredSealedAt.getTime()) / 1000) : 0);
  m.chainAlarm.set(anchoring.alarm ? 1 : 0);
  if (handle.driver !== "postgres") return;
  const rows = await queryRows<{ state: string | null; n: string | number }>(
    ledger.db,
    sql`select coalesce(state, 'unknown') as state, count(*) as n from pg_stat_activity where application_name = ${POOL_APPLICATION_NAME} group by 1`,
  );
  m.dbConnections.reset();
  for (const state of ["active", "idle", "idle in transaction"]) m.dbConnections.set({ state }, 0);
  for (const row of rows) m.dbConnections.set({ state: row.state ?? "unknown" }, Number(row.n));
}

async function refreshBalanceGauges(runtime: Runtime, job: AnchorJob): Promise<void> {
  const [balance, gasPrice] = await Promise.all([job.publicClient.getBalance({ address: job.anchorer }), job.publicClient.getGasPrice()]);
  const m = metrics();
  m.anchorerBalance.set(Number(formatEther(balance)));
  const [spent] = await queryRows<{ gas: string | number | null; since: Date | string | null }>(
    runtime.ledger.db,
    sql`select sum(gas_used::float8 / greatest(batch_size, 1)) as gas, min(updated_at) as since
        from anchors where gas_used is not null and updated_at > now() - make_interval(days => ${SPEND_WINDOW_DAYS})`,
  );
  m.anchorerDays.set(daysTheBalanceLasts(balance, gasPrice, Number(spent?.gas ?? 0), spent?.since ? new Date(spent.since) : null));
}

/**
 * Days `balance` lasts when the gas of the recent anchors (`gasSpent` since `since`) goes on being
 * spent at the same pace, priced at `gasPrice`. The pace counts at least one hour, so a first
 * anchor does not forecast an absurd rate. +Inf without recent spend.
 */
export function daysTheBalanceLasts(balance: bigint, gasPrice: bigint, gasSpent: number, since: Date | null, now: Date = new Date()): number {
  if (!since || gasSpent <= 0 || gasPrice <= 0n) return Number.POSITIVE_INFINITY;
  const days = Math.max((now.getTime() - since.getTime()) / 86_400_000, 1 / 24);
  const weiPerDay = (gasSpent / days) * Number(gasPrice);
  return Number(balance) / weiPerDay;
}
