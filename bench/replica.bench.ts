/**
 * `npm run bench replica`: how far a real streaming replica (a hot standby made with
 * pg_createcluster and pg_basebackup, as the tests make it) trails the primary while the ledger
 * ingests 2,000 records a second and seals every second. The lag is sampled as /api/v1/health
 * reports it (lib/ledger/replicas.ts), four times a second.
 */
import { openDatabase } from "../db/client";
import { readHead } from "../lib/ledger/head";
import { submitRecords } from "../lib/ledger/ingest";
import { createReadRouting } from "../lib/ledger/replicas";
import { sealPendingEntries } from "../lib/ledger/seal";
import { ledgerWithSigner } from "../test/support/ledger";
import { eventually, startReplica } from "../test/support/replica";
import type { BenchResult } from "./harness";
import { median, round3 } from "./harness";
import { signManyRecords } from "./support/sign-workers";

const RATE = 2_000;
const TICK_MS = 100;

export async function run(args: string[]): Promise<BenchResult> {
  const seconds = args.includes("--quick") ? 5 : 20;
  const replica = await startReplica();
  if (typeof replica === "string") return { title: "replica lag under sustained ingest", rows: [], notes: [`Not run: ${replica}.`] };
  const env = await ledgerWithSigner("postgres", "bench-replica");
  const handle = await openDatabase({ url: replica.urlFor(env.db.url!), readOnly: true, maxConnections: 2 });
  const routing = createReadRouting(env.ledger, [handle], (message) => console.error(message));
  try {
    await eventually(async () => (await routing.lags())[0].lagSeconds === 0);
    const lags: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [lag] = await routing.lags();
        if (lag.lagSeconds !== null) lags.push(lag.lagSeconds);
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    let accepted = 0;
    let blocks = 0;
    const perTick = (RATE * TICK_MS) / 1000;
    const started = performance.now();
    const ticksPerSecond = 1000 / TICK_MS;
    for (let second = 0; second < seconds; second++) {
      // A second's records are signed (in worker threads) against the head, then submitted a tick at a time, then sealed.
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      const jws = await signManyRecords(env.privateJwk, env.kid, head.root, RATE);
      for (let t = 0; t < ticksPerSecond; t++) {
        const due = started + (second * ticksPerSecond + t) * TICK_MS;
        if (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
        accepted += (await submitRecords(env.ledger, jws.slice(t * perTick, (t + 1) * perTick))).filter((r) => r.ok).length;
      }
      if (await sealPendingEntries(env.ledger)) blocks++;
    }
    const elapsed = (performance.now() - started) / 1000;
    sampling = false;
    await sampler;
    const sorted = [...lags].sort((a, b) => a - b);
    const p99 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
    return {
      title: `replica lag, ${RATE} records/s offered for ${seconds} s, a seal every second, PostgreSQL streaming replication on this machine`,
      rows: [
        { measure: "records accepted / s (achieved)", value: Math.round(accepted / elapsed), target: `${RATE}` },
        { measure: "blocks sealed", value: blocks, target: "" },
        { measure: "replica lag p50 (s)", value: round3(median(lags)), target: "" },
        { measure: "replica lag p99 (s)", value: round3(p99), target: "≤ 1" },
        { measure: "replica lag max (s)", value: round3(sorted.at(-1) ?? 0), target: "" },
        { measure: "lag samples", value: lags.length, target: "" },
      ],
      notes: [
        "Records are signed in worker threads and ingested in this process (verification and storage of every record): the achieved rate is bounded by this machine's cores, not by replication.",
        "Lag is 0 when the replica has replayed the primary's WAL position at the time of asking, else the time since its last replayed commit.",
      ],
    };
  } finally {
    await routing.close();
    await env.db.dispose();
    await replica.drop();
  }
}
