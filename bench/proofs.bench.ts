/**
 * `npm run bench proofs`: `GET /api/v1/proofs/{entryHash}` on a block of 1,000,000 entries, served
 * by the real system on PostgreSQL under load from a separate process. The reference, measured in
 * the same run, is what a proof costs when the block's tree is rebuilt for it (the fast builder).
 * The server runs as `npm start` does by default (a local Hardhat node and registry): a copy of the
 * sealed fixture is served, its block is anchored on that chain first, and every proof measured
 * carries its anchor (checked). The same copy is then served with the chain off, a second row.
 */
import { availableParallelism, loadavg } from "node:os";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../db/client";
import { bytesToHex } from "../lib/protocol/hex";
import { buildBlockTreePacked } from "../lib/protocol/fast-tree";
import { proofFromTree } from "../lib/protocol/merkle";
import { verifyProof } from "../lib/protocol/proof";
import type { BenchResult, BenchRow } from "./harness";
import { median, round3 } from "./harness";
import { BENCH_LEDGER } from "./support/ingest-setup";
import { cpuPerRequest, cpuSnapshot } from "./support/cpu";
import { loadGeneratorFor, runLoad, type LoadResult } from "./support/load";
import { sealedFixture } from "./support/sealed";
import { configurationLabel, createBenchDatabase, startBenchServer, type BenchServer } from "./support/server";

type Bundle = { entryHash: `0x${string}`; block: { height: number; root: `0x${string}`; entryCount: number }; proof: `0x${string}`[]; anchor: { txHash: string } | null };

/** Waits until the server's anchoring job has confirmed the fixture's block, so that its proofs carry the anchor; returns such a proof. */
async function anchoredProof(server: BenchServer, path: string, log: (line: string) => void): Promise<Bundle> {
  log("waiting for the block to be anchored on the local chain …");
  const deadline = Date.now() + 180_000;
  for (;;) {
    const bundle = (await (await fetch(`${server.url}${path}`)).json()) as Bundle;
    if (bundle.anchor) return bundle;
    if (Date.now() > deadline) throw new Error(`The fixture's block was not anchored within 3 minutes: ${JSON.stringify(bundle).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** Full load for `seconds` on `server`, with the CPU one proof costs. */
async function measuredLoad(server: BenchServer, paths: string[], seconds: number) {
  await runLoad({ url: server.url, paths: paths.slice(0, 500), connections: 8, duration: 3 });
  const before = cpuSnapshot(server.pid);
  const load = await runLoad({ url: server.url, paths, connections: 32, duration: seconds });
  const cpu = cpuPerRequest(before, cpuSnapshot(server.pid), load.cpuSeconds, load.requests, availableParallelism());
  return { load, cpu };
}

/** The rows of one configuration's loads, each beside its target with the verdict. */
function loadRows(configuration: string, measured: Awaited<ReturnType<typeof measuredLoad>>, rate: LoadResult | null, primary: boolean): BenchRow[] {
  const { load, cpu } = measured;
  const rps = Math.round(load.requestsPerSecond);
  return [
    { configuration, measure: "throughput at 32 connections (req/s)", value: rps, target: primary ? `≥ 3,000: ${rps >= 3000 ? "met" : "missed"}` : "reference" },
    { configuration, measure: "latency p50 / p99 at full load (ms)", value: `${load.latency.p50} / ${load.latency.p99}`, target: "" },
    ...(rate ? [{ configuration, measure: "latency p50 / p99 at 1,000 req/s (ms)", value: `${rate.latency.p50} / ${rate.latency.p99}`, target: `p99 ≤ 20: ${rate.latency.p99 <= 20 ? "met" : "missed"}` }] : []),
    { configuration, measure: "non-2xx answers", value: load.non2xx + (rate?.non2xx ?? 0), target: 0 },
    { configuration, measure: "CPU per request: server / PostgreSQL / load generator (ms)", value: `${round3(cpu.server)} / ${round3(cpu.postgres)} / ${round3(cpu.load)}`, target: "" },
    { configuration, measure: `ceiling those costs allow on ${availableParallelism()} idle cores (req/s)`, value: Math.round(cpu.ceiling), target: primary ? `≥ 3,000: ${cpu.ceiling >= 3000 ? "met" : "missed"}` : "" },
  ];
}

export async function run(args: string[]): Promise<BenchResult> {
  const count = args.includes("--quick") ? 100_000 : 1_000_000;
  const log = (line: string) => console.log(`  ${line}`);
  const fixture = await sealedFixture(count, log);
  // A copy: the chain-on server anchors the block, and the kept fixture must not remember a chain that is gone.
  log("copying the sealed fixture …");
  const database = await createBenchDatabase("sealbook_bench_proofs", fixture.name);
  try {
    const admin = postgres(database.url, { max: 1, onnotice: () => {} });
    const sample = await admin<{ h: string }[]>`select encode(entry_hash, 'hex') as h from entries tablesample system (1) limit 5000`;
    await admin.end();
    const paths = sample.map((r) => `/api/v1/proofs/0x${r.h}`);

    const on = await startBenchServer(database.url, 3902, { LEDGER_ID: BENCH_LEDGER, ANCHOR_INTERVAL_SECONDS: "2" }, { chain: true });
    let bundle: Bundle;
    let onLoad;
    let rate;
    try {
      // Correctness first: a sampled answer is a valid bundle for this block, with its anchor.
      bundle = await anchoredProof(on, paths[0], log);
      verifyProof(bundle.block.root, bundle.entryHash, bundle.proof);
      onLoad = await measuredLoad(on, paths, 15);
      rate = await runLoad({ url: on.url, paths, connections: 32, duration: 10, overallRate: 1000 });
      const last = (await (await fetch(`${on.url}${paths[paths.length - 1]}`)).json()) as Bundle;
      if (!last.anchor) throw new Error("A proof served with the chain on came back without its anchor.");
    } finally {
      await on.stop();
    }

    const off = await startBenchServer(database.url, 3903, { LEDGER_ID: BENCH_LEDGER }, { chain: false });
    let offLoad;
    try {
      offLoad = await measuredLoad(off, paths, 10);
    } finally {
      await off.stop();
    }

    // Reference path: the same route handler behind Next.js's own request pipeline.
    const viaNext = await startBenchServer(database.url, 3904, { LEDGER_ID: BENCH_LEDGER, SEALBOOK_FAST_ROUTES: "0" });
    let nextLoad;
    try {
      await runLoad({ url: viaNext.url, paths: paths.slice(0, 500), connections: 8, duration: 3 });
      nextLoad = await runLoad({ url: viaNext.url, paths, connections: 32, duration: 10 });
    } finally {
      await viaNext.stop();
    }

    // Reference: rebuild the tree for a proof (what a server without stored tree data must do).
    const handle = await openDatabase({ url: database.url, maxConnections: 2 });
    const rebuild: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      const [row] = await queryRows<{ hashes: Uint8Array }>(handle.db, sql`select string_agg(entry_hash, ''::bytea order by leaf_index) as hashes from entry_leaves where block_height = 1`);
      const tree = buildBlockTreePacked(new Uint8Array(row.hashes));
      const proof = proofFromTree(tree, 12345 % tree.size);
      if (i === 0 && bytesToHex(tree.nodes.subarray(0, 32)) !== bundle.block.root) throw new Error("rebuilt root differs");
      void proof;
      rebuild.push(performance.now() - start);
    }
    await handle.close();
    const rebuildMs = median(rebuild);
    const missed = onLoad.load.requestsPerSecond < 3000;
    return {
      title: `proof bundles from a ${count.toLocaleString("en")}-entry block, 5,000 random entries, PostgreSQL; chain on (as npm start runs, the block anchored), then chain off`,
      rows: [
        ...loadRows(configurationLabel(true), onLoad, rate, true),
        ...loadRows(configurationLabel(false), offLoad, null, false),
        { configuration: `${configurationLabel(false)}, Next.js pipeline`, measure: "same handler through Next.js's pipeline (req/s)", value: Math.round(nextLoad.requestsPerSecond), target: "reference" },
        { configuration: "either", measure: "reference: one proof by rebuilding the tree (ms, median of 3)", value: round3(rebuildMs), target: "reference" },
        { configuration: "either", measure: "rebuild ÷ served proof latency (p50 at 1,000 req/s)", value: `${Math.round(rebuildMs / Math.max(rate.latency.p50, 1))}×`, target: "" },
      ],
      notes: [
        "A proof is one query: the entry, its block and whether the block's derived data is complete, its leaf position, the anchor and the 4 dense tree tiles (at most 4,032 bytes each) on its path, chosen inside PostgreSQL.",
        `"${configurationLabel(true)}": a local Hardhat node, a registry deployed on it, and the fixture's block anchored there before the load (tx ${bundle.anchor?.txHash}); every proof carries the anchor (checked on the first and the last path), and the Hardhat node's CPU counts with the server's. "${configurationLabel(false)}": SEALBOOK_CHAIN=off, the same database (its anchor row stays).`,
        `Load from ${loadGeneratorFor({ url: "http://localhost:3902", paths, duration: 15 })} in a separate process; the server keeps ${process.env.DATABASE_POOL_SIZE ?? "4 (the default)"} PostgreSQL connections.`,
        "The ceiling row divides the cores by the CPU one request costs in the server, PostgreSQL and the load generator together; when the measured rate is far below it, the cores were busy with other work.",
        ...(missed ? ["Throughput target missed with the chain on: compare the ceiling row (the CPU cost, independent of neighbours) and the load average below; a ceiling above 3,000 means the cores were shared with other work during the run."] : []),
        `Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`,
      ],
    };
  } finally {
    await database.drop();
  }
}
