/**
 * `npm run bench ingest-single`: the single-record API (`POST /api/v1/records`, one JWS per
 * request) on the real system with PostgreSQL: the most requests per second it sustains, and its
 * latency at a fixed 500 requests per second (latency corrected for coordinated omission).
 * The reference, measured in the same run, is the batch API's records per second.
 */
import { availableParallelism, loadavg } from "node:os";
import type { BenchResult } from "./harness";
import { round3 } from "./harness";
import { benchLedgerServer } from "./support/ingest-setup";
import { cpuPerRequest, cpuSnapshot } from "./support/cpu";
import { runLoad } from "./support/load";

export async function run(args: string[]): Promise<BenchResult> {
  const quick = args.includes("--quick");
  const env = await benchLedgerServer("sealbook_bench_ingest_single", 3903);
  try {
    const maxRecords = quick ? 5_000 : 20_000;
    const rateSeconds = quick ? 5 : 10;
    const records = await env.sign(maxRecords + 500 * rateSeconds + 2_000 + 20_000);
    let used = 0;
    const take = (n: number) => records.slice(used, (used += n));
    const single = { url: env.server.url, method: "POST" as const, paths: ["/api/v1/records"], contentType: "application/jose" };
    await runLoad({ ...single, bodies: take(2_000), connections: 16, amount: 2_000 });
    const before = cpuSnapshot(env.server.pid);
    const max = await runLoad({ ...single, bodies: take(maxRecords), connections: 32, amount: maxRecords });
    const cpu = cpuPerRequest(before, cpuSnapshot(env.server.pid), max.cpuSeconds, max.requests, availableParallelism());
    const fixed = await runLoad({ ...single, bodies: take(500 * rateSeconds), connections: 32, amount: 500 * rateSeconds, overallRate: 500 });
    const batchRecords = take(20_000);
    const batch = await runLoad({
      url: env.server.url,
      method: "POST",
      paths: ["/api/v1/records/batch"],
      contentType: "application/json",
      bodies: Array.from({ length: 40 }, (_, i) => JSON.stringify({ jws: batchRecords.slice(i * 500, (i + 1) * 500) })),
      connections: 4,
      amount: 40,
    });
    const batchRate = 20_000 / batch.durationSeconds;
    return {
      title: "single-record API, one JWS per request, PostgreSQL",
      rows: [
        { measure: "throughput at 32 connections (req/s)", value: Math.round(max.requestsPerSecond), target: "≥ 1,000" },
        { measure: "latency p50 / p99 at full load (ms)", value: `${max.latency.p50} / ${max.latency.p99}`, target: "" },
        { measure: "latency p50 / p99 at 500 req/s (ms)", value: `${fixed.latency.p50} / ${fixed.latency.p99}`, target: "p99 ≤ 50" },
        { measure: "non-2xx answers", value: max.non2xx + fixed.non2xx + batch.non2xx, target: 0 },
        { measure: "CPU per request: server / PostgreSQL / load generator (ms)", value: `${round3(cpu.server)} / ${round3(cpu.postgres)} / ${round3(cpu.load)}`, target: "" },
        { measure: `ceiling those costs allow on ${availableParallelism()} idle cores (req/s)`, value: Math.round(cpu.ceiling), target: "" },
        { measure: "reference: batch API, records/s (same run)", value: Math.round(batchRate), target: "reference" },
        { measure: "single ÷ batch", value: round3(max.requestsPerSecond / batchRate), target: "" },
      ],
      notes: [`Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`],
    };
  } finally {
    await env.drop();
  }
}
