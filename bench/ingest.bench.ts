/**
 * `npm run bench ingest`: records per second through the batch API, end to end (HTTP, JWS checks,
 * signature verification, PostgreSQL, and an acceptance receipt signed for every record), under
 * load from a separate process, in the configuration `npm start` runs by default (a local chain,
 * receipts signed), then with the chain off (no receipts) in the same run, beside the machine's
 * raw Ed25519 verification rate on all cores measured in the same run.
 */
import { availableParallelism, loadavg } from "node:os";
import type { BenchResult, BenchRow } from "./harness";
import { round3 } from "./harness";
import { benchLedgerServer, checkBatchAnswer, rawVerifyRate } from "./support/ingest-setup";
import { cpuPerRequest, cpuSnapshot } from "./support/cpu";
import { loadGeneratorFor, runLoad, type LoadOptions } from "./support/load";
import { configurationLabel } from "./support/server";

/** Batches in flight at once. */
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
/** More records are signed than the fastest run could send in the time, so that none is sent twice. */
const MAX_RECORDS_PER_SECOND = 12_000;
const BATCH_SIZE = 500;
/** Rounds of load per configuration, alternating between the two servers. */
const ROUNDS = 2;

interface IngestFigures {
  configuration: string;
  answered: number;
  stored: number;
  perSecond: number;
  roundRates: number[];
  latency: { p50: number; p99: number };
  non2xx: number;
  cpu: ReturnType<typeof cpuPerRequest>;
  rssMiB: number;
  generator: string;
}

type LedgerServer = Awaited<ReturnType<typeof benchLedgerServer>>;

/** One configuration's server, its unsent batches, and what its rounds measured so far. */
interface Contender {
  chain: boolean;
  env: LedgerServer;
  bodies: string[];
  rounds: { answered: number; stored: number; seconds: number; latency: { p50: number; p99: number }; non2xx: number; cpu: ReturnType<typeof cpuPerRequest> }[];
}

/** A fresh ledger served with the chain on or off, its batches signed, its route warmed up and its answers checked. */
async function prepareContender(chain: boolean, port: number, batches: number): Promise<Contender> {
  const env = await benchLedgerServer(`sealbook_bench_ingest_${chain ? "chain" : "nochain"}`, port, { chain });
  try {
    const records = await env.sign(BATCH_SIZE * batches);
    const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify({ jws: records.slice(b * BATCH_SIZE, (b + 1) * BATCH_SIZE) }));
    // Warm up the route (first request compiles and caches) on records that are then not counted,
    // and check that the answer carries a receipt per record exactly when the chain is on.
    await checkBatchAnswer(env.server.url, await env.sign(BATCH_SIZE), chain);
    return { chain, env, bodies, rounds: [] };
  } catch (error) {
    await env.drop();
    throw error;
  }
}

/** Runs one round of batch load for `seconds` on `c`'s server, with batches it has not sent yet. */
async function runRound(c: Contender, seconds: number, cores: number): Promise<void> {
  const pendingNow = async () => ((await (await fetch(`${c.env.server.url}/api/v1/ledger`)).json()) as { pendingCount: number }).pendingCount;
  const storedBefore = await pendingNow();
  const before = cpuSnapshot(c.env.server.pid);
  const bodies = c.bodies.splice(0, Math.ceil((MAX_RECORDS_PER_SECOND * seconds) / BATCH_SIZE));
  const load = await runLoad({ ...loadShape(c.env.server.url, seconds), bodies });
  // Batches still in flight when the load stopped are finished by the server; wait for them, so
  // that the CPU they cost is divided by the records they stored.
  let stored = (await pendingNow()) - storedBefore;
  for (let settled = false; !settled; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = (await pendingNow()) - storedBefore;
    settled = now === stored;
    stored = now;
  }
  const cpu = cpuPerRequest(before, cpuSnapshot(c.env.server.pid), load.cpuSeconds, stored, cores);
  // Only the batches answered within the measured time count toward the rate.
  c.rounds.push({ answered: load.requests * BATCH_SIZE, stored, seconds: load.durationSeconds, latency: load.latency, non2xx: load.non2xx, cpu });
}

const loadShape = (url: string, seconds: number): LoadOptions => ({ url, method: "POST", paths: ["/api/v1/records/batch"], contentType: "application/json", connections: CONNECTIONS, duration: seconds });

/** A configuration's figures over all its rounds: rates from the totals, CPU per record over all stored records. */
function figuresOf(c: Contender): IngestFigures {
  const sum = (f: (r: Contender["rounds"][number]) => number) => c.rounds.reduce((a, r) => a + f(r), 0);
  const stored = sum((r) => r.stored);
  const perRecord = (f: (r: Contender["rounds"][number]) => number) => sum((r) => f(r) * r.stored) / stored;
  const server = perRecord((r) => r.cpu.server);
  const postgres = perRecord((r) => r.cpu.postgres);
  const load = perRecord((r) => r.cpu.load);
  const total = server + postgres + load;
  return {
    configuration: c.env.server.configuration,
    answered: sum((r) => r.answered),
    stored,
    perSecond: sum((r) => r.answered) / sum((r) => r.seconds),
    roundRates: c.rounds.map((r) => Math.round(r.answered / r.seconds)),
    latency: { p50: Math.max(...c.rounds.map((r) => r.latency.p50)), p99: Math.max(...c.rounds.map((r) => r.latency.p99)) },
    non2xx: sum((r) => r.non2xx),
    cpu: { server, postgres, load, total, ceiling: (availableParallelism() * 1000) / total },
    rssMiB: c.env.server.rssMiB(),
    generator: loadGeneratorFor(loadShape(c.env.server.url, 1)),
  };
}

export async function run(args: string[]): Promise<BenchResult> {
  const seconds = args.includes("--quick") ? 4 : 10;
  const cores = availableParallelism();
  const batchesPerRound = Math.ceil((MAX_RECORDS_PER_SECOND * seconds) / BATCH_SIZE);
  // Both servers are up at once and the loads alternate between them (on, off, on, off), so that
  // a neighbour's burst on this shared machine weighs on both configurations alike.
  const on = await prepareContender(true, 3901, batchesPerRound * ROUNDS);
  let off: Contender | null = null;
  try {
    off = await prepareContender(false, 3905, batchesPerRound * ROUNDS);
    // The raw rate is measured before and after the loads, and averaged: on a shared virtual
    // machine the cores' speed drifts, and the ratio should compare like with like.
    const rawBefore = await rawVerifyRate(cores);
    for (let round = 0; round < ROUNDS; round++) {
      await runRound(on, seconds, cores);
      await runRound(off, seconds, cores);
    }
    const rawAfter = await rawVerifyRate(cores);
    return report(figuresOf(on), figuresOf(off), rawBefore, rawAfter, seconds, cores);
  } finally {
    await on.env.drop();
    await off?.env.drop();
  }
}

function report(on: IngestFigures, off: IngestFigures, rawBefore: number, rawAfter: number, seconds: number, cores: number): BenchResult {
  const raw = (rawBefore + rawAfter) / 2;
  const figuresRows = (f: IngestFigures, targets: { rate: string }): BenchRow[] => [
    { configuration: f.configuration, measure: `ingest, records/s (end to end; rounds: ${f.roundRates.join(", ")})`, value: Math.round(f.perSecond), target: targets.rate },
    { configuration: f.configuration, measure: "records answered in the measured time / stored in all", value: `${f.answered} / ${f.stored}`, target: "stored ≥ answered" },
    { configuration: f.configuration, measure: "ingest ÷ raw verify", value: round3(f.perSecond / raw), target: "" },
    { configuration: f.configuration, measure: "batch latency p50 / p99 (ms, worst round)", value: `${f.latency.p50} / ${f.latency.p99}`, target: "" },
    { configuration: f.configuration, measure: "non-2xx answers", value: f.non2xx, target: 0 },
    { configuration: f.configuration, measure: "CPU per record: server / PostgreSQL / load generator (ms)", value: `${round3(f.cpu.server)} / ${round3(f.cpu.postgres)} / ${round3(f.cpu.load)}`, target: "" },
    { configuration: f.configuration, measure: `ceiling those costs allow on ${cores} idle cores (records/s)`, value: Math.round(f.cpu.ceiling), target: "" },
    { configuration: f.configuration, measure: "server RSS after (MiB)", value: Math.round(f.rssMiB), target: "" },
  ];
  const ratio = on.perSecond / off.perSecond;
  return {
    title: `batch API, batches of ${BATCH_SIZE} records, ${CONNECTIONS} connections, PostgreSQL; ${ROUNDS} rounds of ${seconds} s each for chain on (as npm start runs) and chain off, alternating`,
    rows: [
      ...figuresRows(on, { rate: `≥ 5,000: ${on.perSecond >= 5000 ? "met" : "missed"}` }),
      { configuration: "both", measure: "chain on ÷ chain off, records/s", value: round3(ratio), target: `≥ 0.9: ${ratio >= 0.9 ? "met" : "missed"}` },
      { configuration: "both", measure: "ceiling chain on ÷ ceiling chain off (CPU cost, independent of neighbours)", value: round3(on.cpu.ceiling / off.cpu.ceiling), target: "" },
      ...figuresRows(off, { rate: "reference" }),
      { configuration: "machine", measure: `raw Ed25519 verify/s on ${cores} cores (mean of before and after both loads)`, value: `${Math.round(raw)} (${Math.round(rawBefore)}, ${Math.round(rawAfter)})`, target: "reference" },
    ],
    notes: [
      `Load from ${on.generator} in a separate process; every batch holds ${BATCH_SIZE} records never sent before.`,
      `"${configurationLabel(true)}": as npm start runs by default, a local Hardhat node with a registry, every accepted record answered with its signed EIP-712 receipt (the warm-up batch is checked for them); its CPU row includes the Hardhat node. "${configurationLabel(false)}": SEALBOOK_CHAIN=off.`,
      "The server, PostgreSQL and the load generator share the same cores, so the raw verify rate is an upper bound the ingest path cannot reach in full.",
      "PostgreSQL's CPU is that of every postgres process on the machine: other jobs' queries on the same server count too.",
      "The ceiling row divides the cores by the CPU one record costs in the server, PostgreSQL and the load generator together; when the measured rate is far below it, the cores were busy with other work.",
      `Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`,
    ],
  };
}
