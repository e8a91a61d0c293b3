/**
 * The process's Prometheus metrics (prom-client), in one registry. Code in every layer records
 * through `metrics()`; `GET /metrics` (lib/server/serve.ts) serves `metricsText()`. Gauges that
 * are read from the database or the chain rather than counted (pending entries, anchoring lag,
 * receipt alarms, pool use) are refreshed just before each scrape by the refresher `npm start`
 * installs (lib/server/ops-metrics.ts).
 *
 * Kept on `globalThis`, so that the copy of this module Next.js bundles records into the same
 * registry as the one `npm start` loaded.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/** Seconds, from a millisecond up to two minutes: request, ingest and seal times. */
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
/** Entries in a block: 1 to 1,000,000 by powers of ten and halves. */
const ENTRIES = [1, 10, 50, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000];

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    recordsAccepted: new Counter({ name: "sealbook_records_accepted_total", help: "Records accepted and stored.", registers }),
    recordsRejected: new Counter({ name: "sealbook_records_rejected_total", help: "Records refused, by protocol error code (PROTOCOL §7).", labelNames: ["code"] as const, registers }),
    ingestSeconds: new Histogram({
      name: "sealbook_ingest_duration_seconds",
      help: "Time to answer a submission (POST /records: one record; /records/batch: the whole batch), checks, storage and receipts included.",
      labelNames: ["kind"] as const,
      buckets: SECONDS,
      registers,
    }),
    pendingEntries: new Gauge({ name: "sealbook_pending_entries", help: "Accepted entries waiting to be sealed.", registers }),
    sealSeconds: new Histogram({ name: "sealbook_seal_duration_seconds", help: "Time to seal a block, from the start of the transaction to its commit.", buckets: SECONDS, registers }),
    sealEntries: new Histogram({ name: "sealbook_seal_entries", help: "Entries per sealed block.", buckets: ENTRIES, registers }),
    sealStallSeconds: new Histogram({
      name: "sealbook_seal_stall_seconds",
      help: "How long a seal held the ledger lock: submissions arriving meanwhile wait this long.",
      buckets: SECONDS,
      registers,
    }),
    headHeight: new Gauge({ name: "sealbook_head_height", help: "Height of the latest sealed block.", registers }),
    anchorLagBlocks: new Gauge({ name: "sealbook_anchor_lag_blocks", help: "Sealed blocks not yet anchored and confirmed on chain.", registers }),
    anchorLagSeconds: new Gauge({ name: "sealbook_anchor_lag_seconds", help: "Age of the oldest sealed block not yet anchored (0 when all are).", registers }),
    chainAlarm: new Gauge({ name: "sealbook_chain_alarm", help: "1 while a chain alarm stops anchoring (chain and database disagree).", registers }),
    anchorerBalance: new Gauge({ name: "sealbook_anchorer_balance_eth", help: "Balance of the anchoring account, in ether.", registers }),
    anchorerDays: new Gauge({
      name: "sealbook_anchorer_balance_days",
      help: "Days the anchorer's balance lasts at the recent spend (gas of the last 7 days' anchors at today's gas price); +Inf without recent spend.",
      registers,
    }),
    receiptAlarms: new Gauge({
      name: "sealbook_receipt_alarms",
      help: "Pending entries near (within half the margin) or past (overdue) the sealBy of their receipt.",
      labelNames: ["state"] as const,
      registers,
    }),
    auditRuns: new Counter({ name: "sealbook_audit_runs_total", help: "Audits run in this process, by result (clean or findings).", labelNames: ["result"] as const, registers }),
    auditFindings: new Counter({ name: "sealbook_audit_findings_total", help: "Findings of the audits run in this process, by finding code.", labelNames: ["code"] as const, registers }),
    proofsServed: new Counter({ name: "sealbook_proofs_served_total", help: "Proof requests answered, by outcome (sealed, pending, unknown).", labelNames: ["status"] as const, registers }),
    dbPoolSize: new Gauge({ name: "sealbook_db_pool_size", help: "Connections this process may open to the database (DATABASE_POOL_SIZE; 1 for the embedded database).", registers }),
    dbConnections: new Gauge({
      name: "sealbook_db_connections",
      help: "This process's open PostgreSQL connections, by state (active: running a query; idle; idle in transaction).",
      labelNames: ["state"] as const,
      registers,
    }),
    replicaLag: new Gauge({
      name: "sealbook_replica_lag_seconds",
      help: "How far the furthest read replica (DATABASE_READ_URL) trails the primary, in seconds; 0 without replicas. Each replica's lag is in /api/v1/health.",
      registers,
    }),
    httpRequests: new Counter({ name: "sealbook_http_requests_total", help: "HTTP requests answered, by method, route pattern and status.", labelNames: ["method", "route", "status"] as const, registers }),
    httpSeconds: new Histogram({
      name: "sealbook_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by method and route pattern.",
      labelNames: ["method", "route"] as const,
      buckets: SECONDS,
      registers,
    }),
  };
}

export type SealbookMetrics = ReturnType<typeof createMetrics>;

const METRICS_KEY = Symbol.for("sealbook.metrics");
const REFRESH_KEY = Symbol.for("sealbook.metrics-refresh");
type MetricsGlobal = typeof globalThis & { [METRICS_KEY]?: SealbookMetrics; [REFRESH_KEY]?: () => Promise<void> };

/** The process's metrics, created on first use. */
export function metrics(): SealbookMetrics {
  const g = globalThis as MetricsGlobal;
  g[METRICS_KEY] ??= createMetrics();
  return g[METRICS_KEY];
}

/** Sets what refreshes the read-on-scrape gauges before each `metricsText()`. */
export function installMetricsRefresh(refresh: () => Promise<void>): void {
  (globalThis as MetricsGlobal)[REFRESH_KEY] = refresh;
}

/** The Prometheus text exposition of every metric, the read-on-scrape gauges refreshed first (a failed refresh keeps their last values). */
export async function metricsText(): Promise<{ contentType: string; text: string }> {
  const m = metrics();
  const refresh = (globalThis as MetricsGlobal)[REFRESH_KEY];
  if (refresh) await refresh();
  return { contentType: m.registry.contentType, text: await m.registry.metrics() };
}

/** Seconds since `startedAt` (a `performance.now()` reading). */
export function secondsSince(startedAt: number): number {
  return (performance.now() - startedAt) / 1000;
}
