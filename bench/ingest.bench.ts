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
import { loadGeneratorFor, runLoad } from "./support/load";

/** Batches in flight at once. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
/** More records are signed than the fastest run could send in the time, so that none is sent twice. */
const MAX_RECORDS_PER_SECOND = 12_000;

export async function run(args: string[]): Promise<BenchResult> {
  const batchSize = 500;
  const seconds = args.includes("--quick") ? 4 : 10;
  const cores = availableParallelism();
  const env = await benchLedgerServer("sealbook_bench_ingest", 3901);
  try {
    const batches = Math.ceil((MAX_RECORDS_PER_SECOND * seconds) / batchSize);
    const records = await env.sign(batchSize * batches);
    const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify({ jws: records.slice(b * batchSize, (b + 1) * batchSize) }));
    // The raw rate is measured just before and just after the load, and averaged: on a shared
    // virtual machine the cores' speed drifts, and the ratio should compare like with like.
    const rawBefore = await rawVerifyRate(cores);
    // Warm up the route (first request compiles and caches), on records that are then not counted.
    const warm = await env.sign(batchSize);
    await runLoad({ url: env.server.url, method: "POST", paths: ["/api/v1/records/batch"], bodies: [JSON.stringify({ jws: warm })], contentType: "application/json", connections: 1, amount: 1 });
    const pendingNow = async () => ((await (await fetch(`${env.server.url}/api/v1/ledger`)).json()) as { pendingCount: number }).pendingCount;
    const before = cpuSnapshot(env.server.pid);
    const loadOptions = { url: env.server.url, method: "POST" as const, paths: ["/api/v1/records/batch"], bodies, contentType: "application/json", connections: CONNECTIONS, duration: seconds };
    const load = await runLoad(loadOptions);
    // Batches still in flight when the load stopped are finished by the server; wait for them, so
    // that the CPU they cost is divided by the records they stored.
    let stored = (await pendingNow()) - batchSize;
    for (let settled = false; !settled; ) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const now = (await pendingNow()) - batchSize;
      settled = now === stored;
      stored = now;
    }
    const after = cpuSnapshot(env.server.pid);
    const cpu = cpuPerRequest(before, after, load.cpuSeconds, stored, cores);
    const rawAfter = await rawVerifyRate(cores);
    const raw = (rawBefore + rawAfter) / 2;
    // Only the batches answered within the measured time count toward the rate.
    const answered = load.requests * batchSize;
    const perSecond = answered / load.durationSeconds;
    return {
      title: `batch API, batches of ${batchSize} records for ${seconds} s, ${CONNECTIONS} connections, PostgreSQL`,
      rows: [
        { measure: "records answered in the measured time / stored in all", value: `${answered} / ${stored}`, target: "stored ≥ answered" },
        { measure: "ingest, records/s (end to end)", value: Math.round(perSecond), target: "≥ 4,000" },
        { measure: `raw Ed25519 verify/s on ${cores} cores (same run: mean of before and after)`, value: `${Math.round(raw)} (${Math.round(rawBefore)}, ${Math.round(rawAfter)})`, target: "reference" },
        { measure: "ingest ÷ raw verify", value: round3(perSecond / raw), target: "≥ 0.5" },
        { measure: "batch latency p50 / p99 (ms)", value: `${load.latency.p50} / ${load.latency.p99}`, target: "" },
        { measure: "non-2xx answers", value: load.non2xx, target: 0 },
        { measure: "CPU per record: server / PostgreSQL / load generator (ms)", value: `${round3(cpu.server)} / ${round3(cpu.postgres)} / ${round3(cpu.load)}`, target: "" },
        { measure: `ceiling those costs allow on ${cores} idle cores (records/s)`, value: Math.round(cpu.ceiling), target: "" },
        { measure: "server RSS after (MiB)", value: Math.round(env.server.rssMiB()), target: "" },
      ],
      notes: [
        `Load from ${loadGeneratorFor(loadOptions)} in a separate process; every batch holds ${batchSize} records never sent before.`,
        "The server, PostgreSQL and the load generator share the same cores, so the raw verify rate is an upper bound the ingest path cannot reach in full.",
        "The ceiling row divides the cores by the CPU one record costs in the server, PostgreSQL and the load generator together; when the measured rate is far below it, the cores were busy with other work.",
        `Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`,
      ],
    };
  } finally {
    await env.drop();
  }
}
