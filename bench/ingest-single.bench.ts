/**
 * `npm run bench ingest-single`: the single-record API (`POST /api/v1/records`, one JWS per
 * request) on the real system with PostgreSQL: the most requests per second it sustains, and its
 * latency at a fixed 500 requests per second (latency corrected for coordinated omission), in the
 * configuration `npm start` runs by default (a local chain, a receipt signed per record), then with
 * the chain off (no receipts) in the same run. The reference, measured in the same run on the
 * same server, is the batch API's records per second.
 */
import { availableParallelism, loadavg } from "node:os";
import type { BenchResult, BenchRow } from "./harness";
import { round3 } from "./harness";
import { benchLedgerServer } from "./support/ingest-setup";
import { cpuPerRequest, cpuSnapshot } from "./support/cpu";
import { runLoad, type LoadResult } from "./support/load";
import { configurationLabel } from "./support/server";

interface SingleFigures {
  configuration: string;
  max: LoadResult;
  fixed: LoadResult;
  cpu: ReturnType<typeof cpuPerRequest>;
  batchRate: number;
  non2xx: number;
}

async function measureSingle(chain: boolean, quick: boolean): Promise<SingleFigures> {
  const env = await benchLedgerServer(`sealbook_bench_ingest_single_${chain ? "chain" : "nochain"}`, 3903, { chain });
  try {
    const maxRecords = quick ? 5_000 : 20_000;
    const rateSeconds = quick ? 5 : 10;
    const records = await env.sign(maxRecords + 500 * rateSeconds + 2_001 + 20_000);
    let used = 0;
    const take = (n: number) => records.slice(used, (used += n));
    // The answer carries a receipt exactly when the chain is on (so the chain-on figures cannot
    // silently be measured without them).
    const probe = await fetch(`${env.server.url}/api/v1/records`, { method: "POST", headers: { "content-type": "application/jose" }, body: take(1)[0] });
    const answer = (await probe.json()) as { receipt?: unknown; receiptUnavailable?: string };
    if (probe.status !== 201 || Boolean(answer.receipt) !== chain) {
      throw new Error(`The probe record came back ${probe.status} ${answer.receipt ? "with" : "without"} a receipt, expected ${chain ? "with" : "without"}: ${JSON.stringify(answer).slice(0, 400)}`);
    }
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
    return { configuration: env.server.configuration, max, fixed, cpu, batchRate: 20_000 / batch.durationSeconds, non2xx: max.non2xx + fixed.non2xx + batch.non2xx };
  } finally {
    await env.drop();
  }
}

export async function run(args: string[]): Promise<BenchResult> {
  const quick = args.includes("--quick");
  const cores = availableParallelism();
  const on = await measureSingle(true, quick);
  const off = await measureSingle(false, quick);
  const rows = (f: SingleFigures, targets: { max: string; p99: string }): BenchRow[] => [
    { configuration: f.configuration, measure: "throughput at 32 connections (req/s)", value: Math.round(f.max.requestsPerSecond), target: targets.max },
    { configuration: f.configuration, measure: "latency p50 / p99 at full load (ms)", value: `${f.max.latency.p50} / ${f.max.latency.p99}`, target: "" },
    { configuration: f.configuration, measure: "latency p50 / p99 at 500 req/s (ms)", value: `${f.fixed.latency.p50} / ${f.fixed.latency.p99}`, target: targets.p99 },
    { configuration: f.configuration, measure: "non-2xx answers", value: f.non2xx, target: 0 },
    { configuration: f.configuration, measure: "CPU per request: server / PostgreSQL / load generator (ms)", value: `${round3(f.cpu.server)} / ${round3(f.cpu.postgres)} / ${round3(f.cpu.load)}`, target: "" },
    { configuration: f.configuration, measure: `ceiling those costs allow on ${cores} idle cores (req/s)`, value: Math.round(f.cpu.ceiling), target: "" },
    { configuration: f.configuration, measure: "reference: batch API, records/s (same server)", value: Math.round(f.batchRate), target: "reference" },
    { configuration: f.configuration, measure: "single ÷ batch", value: round3(f.max.requestsPerSecond / f.batchRate), target: "" },
  ];
  const met = (ok: boolean) => (ok ? "met" : "missed");
  return {
    title: "single-record API, one JWS per request, PostgreSQL; chain on (as npm start runs), then chain off",
    rows: [
      ...rows(on, { max: `≥ 1,500: ${met(on.max.requestsPerSecond >= 1500)}`, p99: `p99 ≤ 50: ${met(on.fixed.latency.p99 <= 50)}` }),
      { configuration: "both", measure: "throughput chain on ÷ chain off", value: round3(on.max.requestsPerSecond / off.max.requestsPerSecond), target: "" },
      ...rows(off, { max: "reference", p99: "reference" }),
    ],
    notes: [
      `"${configurationLabel(true)}": as npm start runs by default, a local Hardhat node with a registry, every accepted record answered with its signed EIP-712 receipt (checked on a probe record); its CPU row includes the Hardhat node. "${configurationLabel(false)}": SEALBOOK_CHAIN=off.`,
      `Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`,
    ],
  };
}
