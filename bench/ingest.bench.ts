/**
 * `npm run bench ingest`: records per second through the batch API, end to end (HTTP, JWS checks,
 * signature verification, PostgreSQL), under load from a separate process, beside the machine's raw
 * Ed25519 verification rate on all cores measured in the same run.
 */
import { availableParallelism, loadavg } from "node:os";
import type { BenchResult } from "./harness";
import { round3 } from "./harness";
import { benchLedgerServer, rawVerifyRate } from "./support/ingest-setup";
import { cpuPerRequest, cpuSnapshot } from "./support/cpu";
import { runLoad } from "./support/load";

/** Batches in flight at once: enough that verification on the thread pool never waits for the next batch to be parsed. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);

export async function run(args: string[]): Promise<BenchResult> {
  const batchSize = 500;
  const batches = args.includes("--quick") ? 20 : 80;
  const cores = availableParallelism();
  const env = await benchLedgerServer("sealbook_bench_ingest", 3901);
  try {
    const records = await env.sign(batchSize * batches);
    const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify({ jws: records.slice(b * batchSize, (b + 1) * batchSize) }));
    const raw = await rawVerifyRate(cores);
    // Warm up the route (first request compiles and caches), on records that are then not counted.
    const warm = await env.sign(batchSize);
    await runLoad({ url: env.server.url, method: "POST", paths: ["/api/v1/records/batch"], bodies: [JSON.stringify({ jws: warm })], contentType: "application/json", connections: 1, amount: 1 });
    const before = cpuSnapshot(env.server.pid);
    const load = await runLoad({
      url: env.server.url,
      method: "POST",
      paths: ["/api/v1/records/batch"],
      bodies,
      contentType: "application/json",
      connections: CONNECTIONS,
      amount: batches,
    });
    const after = cpuSnapshot(env.server.pid);
    const status = (await (await fetch(`${env.server.url}/api/v1/ledger`)).json()) as { pendingCount: number };
    const stored = status.pendingCount - batchSize;
    const cpu = cpuPerRequest(before, after, load.cpuSeconds, stored, cores);
    const perSecond = stored / load.durationSeconds;
    return {
      title: `batch API, ${batches} batches of ${batchSize} records, ${CONNECTIONS} connections, PostgreSQL`,
      rows: [
        { measure: "records accepted and stored", value: stored, target: records.length },
        { measure: "ingest, records/s (end to end)", value: Math.round(perSecond), target: "≥ 4,000" },
        { measure: `raw Ed25519 verify/s on ${cores} cores (same run)`, value: Math.round(raw), target: "reference" },
        { measure: "ingest ÷ raw verify", value: round3(perSecond / raw), target: "≥ 0.5" },
        { measure: "batch latency p50 / p99 (ms)", value: `${load.latency.p50} / ${load.latency.p99}`, target: "" },
        { measure: "non-2xx answers", value: load.non2xx, target: 0 },
        { measure: "CPU per record: server / PostgreSQL / load generator (ms)", value: `${round3(cpu.server)} / ${round3(cpu.postgres)} / ${round3(cpu.load)}`, target: "" },
        { measure: `ceiling those costs allow on ${cores} idle cores (records/s)`, value: Math.round(cpu.ceiling), target: "" },
        { measure: "server RSS after (MiB)", value: Math.round(env.server.rssMiB()), target: "" },
      ],
      notes: [
        "The server, PostgreSQL and the load generator share the same cores, so the raw verify rate is an upper bound the ingest path cannot reach in full.",
        "The ceiling row divides the cores by the CPU one record costs in the server, PostgreSQL and the load generator together; when the measured rate is far below it, the cores were busy with other work.",
        `Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`,
      ],
    };
  } finally {
    await env.drop();
  }
}
