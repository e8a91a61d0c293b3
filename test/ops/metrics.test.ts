import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { openLedger } from "../../lib/ledger/context";
import { registerSigner } from "../../lib/ledger/signers/signers";
import { freshDatabase, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";
import { freePort, startChildServer, type ChildServer } from "./support/child-server";

type Sample = { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string };
type Family = { name: string; help: string; type: string; metrics: Sample[] };

const TOKEN = "metrics-token-for-the-test-0123456789";

/** Every metric the README lists. */
const LISTED = [
  "sealbook_records_accepted_total",
  "sealbook_records_rejected_total",
  "sealbook_ingest_duration_seconds",
  "sealbook_pending_entries",
  "sealbook_seal_duration_seconds",
  "sealbook_seal_entries",
  "sealbook_seal_stall_seconds",
  "sealbook_head_height",
  "sealbook_anchor_lag_blocks",
  "sealbook_anchor_lag_seconds",
  "sealbook_chain_alarm",
  "sealbook_anchorer_balance_eth",
  "sealbook_anchorer_balance_days",
  "sealbook_receipt_alarms",
  "sealbook_audit_runs_total",
  "sealbook_audit_findings_total",
  "sealbook_proofs_served_total",
  "sealbook_db_pool_size",
  "sealbook_db_connections",
  "sealbook_replica_lag_seconds",
  "sealbook_http_requests_total",
  "sealbook_http_request_duration_seconds",
];

const skip = await skipReason("postgres");

describe("metrics and probes (PostgreSQL, the server as a child process)", { skip: skip ?? false }, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let server: ChildServer;
  let metricsPort: number;
  let records: string[];

  before(async () => {
    db = await freshDatabase("postgres");
    const ledger = await openLedger(db, "test");
    const keys = await newKeyPair("EdDSA");
    await registerSigner(ledger, { publicJwk: keys.publicJwk, label: "test signer", validFrom: new Date(Date.now() - 60_000) });
    records = await Promise.all(Array.from({ length: 3 }, () => signedRecord(keys.privateJwk, ledger.genesisRoot)));
    await db.close();
    metricsPort = await freePort();
    server = await startChildServer({ DATABASE_URL: db.url!, LEDGER_ID: "test", LOG_FORMAT: "json", SEAL_INTERVAL_SECONDS: "0", METRICS_TOKEN: TOKEN, METRICS_PORT: String(metricsPort) });
  });
  after(async () => {
    server?.child.kill("SIGTERM");
    await server?.exited;
    await db?.dispose();
  });

  const scrape = async (): Promise<Map<string, Family>> => {
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(await response.text()) as Family[];
    return new Map(families.map((f) => [f.name, f]));
  };
  const value = (families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number => {
    const family = families.get(name);
    assert.ok(family, `${name} is exposed`);
    const sample = family.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    assert.ok(sample, `${name} has a sample labelled ${JSON.stringify(labels)}`);
    return Number(sample.value ?? sample.count);
  };

  it("refuses /metrics on the main port without the bearer token", async () => {
    assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer wrong-token-wrong-token" } })).status, 401);
  });

  it("exposes every listed metric in the Prometheus text format, counting what happened", async () => {
    const post = (body: string) => fetch(`${server.url}/api/v1/records`, { method: "POST", headers: { "content-type": "application/jose" }, body });
    for (const jws of records) assert.equal((await post(jws)).status, 201);
    assert.equal((await post(records[0])).status, 409, "a replay is refused");
    assert.equal((await fetch(`${server.url}/api/v1/proofs/0x${"ab".repeat(32)}`)).status, 404);

    const families = await scrape();
    for (const name of LISTED) assert.ok(families.has(name), `${name} is exposed`);
    assert.equal(value(families, "sealbook_records_accepted_total"), 3);
    assert.equal(value(families, "sealbook_records_rejected_total", { code: "duplicate_record" }), 1);
    assert.equal(value(families, "sealbook_pending_entries"), 3);
    // parse-prometheus-text-format flattens labelled histograms (it keeps only the buckets), so their counts are read from the counters.
    assert.equal(families.get("sealbook_ingest_duration_seconds")?.type, "HISTOGRAM");
    assert.equal(value(families, "sealbook_proofs_served_total", { status: "unknown" }), 1);
    assert.equal(value(families, "sealbook_receipt_alarms", { state: "overdue" }), 0);
    assert.equal(value(families, "sealbook_replica_lag_seconds"), 0);
    assert.equal(value(families, "sealbook_db_pool_size"), 4);
    assert.ok(value(families, "sealbook_db_connections", { state: "active" }) >= 1, "the scrape's own query is active");
    assert.equal(value(families, "sealbook_http_requests_total", { method: "POST", route: "/api/v1/records", status: "201" }), 3);
    assert.equal(families.get("sealbook_seal_duration_seconds")?.type, "HISTOGRAM");
    assert.ok(families.has("process_cpu_seconds_total"), "the process's own metrics are there too");
  });

  it("serves /metrics without a token on 127.0.0.1:METRICS_PORT", async () => {
    const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.equal(response.status, 200);
    const names = (parsePrometheusTextFormat(await response.text()) as Family[]).map((f) => f.name);
    assert.ok(names.includes("sealbook_records_accepted_total"));
  });

  it("answers the liveness and readiness probes", async () => {
    const live = await fetch(`${server.url}/api/v1/health/live`);
    assert.equal(live.status, 200);
    const ready = await fetch(`${server.url}/api/v1/health/ready`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: "ready", lifecycle: "serving", checks: { database: "answers", migrations: "all applied" } });
  });

  it("does not serve /metrics on the main port when no METRICS_TOKEN is configured", async () => {
    const bare = await startChildServer({ DATABASE_URL: db.url!, LEDGER_ID: "test", LOG_FORMAT: "json", SEAL_INTERVAL_SECONDS: "0" });
    try {
      assert.equal((await fetch(`${bare.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 404);
    } finally {
      bare.child.kill("SIGTERM");
      await bare.exited;
    }
  });
});
