/**
 * `npm run bench proofs`: `GET /api/v1/proofs/{entryHash}` on a block of 1,000,000 entries, served
 * by the real system on PostgreSQL under load from a separate process. The reference, measured in
 * the same run, is what a proof costs when the block's tree is rebuilt for it (the fast builder).
 */
import { availableParallelism, loadavg } from "node:os";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../db/client";
import { bytesToHex } from "../lib/protocol/hex";
import { buildBlockTreePacked } from "../lib/protocol/fast-tree";
import { proofFromTree } from "../lib/protocol/merkle";
import { verifyProof } from "../lib/protocol/proof";
import type { BenchResult } from "./harness";
import { median, round3 } from "./harness";
import { BENCH_LEDGER } from "./support/ingest-setup";
import { cpuPerRequest, cpuSnapshot } from "./support/cpu";
import { loadGeneratorFor, runLoad } from "./support/load";
import { sealedFixture } from "./support/sealed";
import { startBenchServer } from "./support/server";

export async function run(args: string[]): Promise<BenchResult> {
  const count = args.includes("--quick") ? 100_000 : 1_000_000;
  const log = (line: string) => console.log(`  ${line}`);
  const fixture = await sealedFixture(count, log);
  const admin = postgres(fixture.url, { max: 1, onnotice: () => {} });
  const sample = await admin<{ h: string }[]>`select encode(entry_hash, 'hex') as h from entries tablesample system (1) limit 5000`;
  await admin.end();
  const paths = sample.map((r) => `/api/v1/proofs/0x${r.h}`);

  // Reference path: the same route handler behind Next.js's own request pipeline.
  const viaNext = await startBenchServer(fixture.url, 3904, { LEDGER_ID: BENCH_LEDGER, SEALBOOK_FAST_ROUTES: "0" });
  let nextLoad;
  try {
    await runLoad({ url: viaNext.url, paths: paths.slice(0, 500), connections: 8, duration: 3 });
    nextLoad = await runLoad({ url: viaNext.url, paths, connections: 32, duration: 10 });
  } finally {
    await viaNext.stop();
  }

  const server = await startBenchServer(fixture.url, 3902, { LEDGER_ID: BENCH_LEDGER });
  try {
    // Correctness first: a sampled answer is a valid bundle for this block.
    const bundle = (await (await fetch(`${server.url}${paths[0]}`)).json()) as { entryHash: `0x${string}`; block: { root: `0x${string}`; entryCount: number }; proof: `0x${string}`[] };
    verifyProof(bundle.block.root, bundle.entryHash, bundle.proof);
    await runLoad({ url: server.url, paths: paths.slice(0, 500), connections: 8, duration: 3 });
    const before = cpuSnapshot(server.pid);
    const load = await runLoad({ url: server.url, paths, connections: 32, duration: 15 });
    const cpu = cpuPerRequest(before, cpuSnapshot(server.pid), load.cpuSeconds, load.requests, availableParallelism());
    const rate = await runLoad({ url: server.url, paths, connections: 32, duration: 10, overallRate: 1000 });

    // Reference: rebuild the tree for a proof (what a server without stored tree data must do).
    const handle = await openDatabase({ url: fixture.url, maxConnections: 2 });
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
    return {
      title: `proof bundles from a ${count.toLocaleString("en")}-entry block, 5,000 random entries, PostgreSQL`,
      rows: [
        { measure: "throughput at 32 connections (req/s)", value: Math.round(load.requestsPerSecond), target: "≥ 3,000" },
        { measure: "  same handler through Next.js's pipeline (req/s)", value: Math.round(nextLoad.requestsPerSecond), target: "reference" },
        { measure: "latency p50 / p99 at full load (ms)", value: `${load.latency.p50} / ${load.latency.p99}`, target: "" },
        { measure: "latency p50 / p99 at 1,000 req/s (ms)", value: `${rate.latency.p50} / ${rate.latency.p99}`, target: "p99 ≤ 20" },
        { measure: "non-2xx answers", value: load.non2xx + rate.non2xx, target: 0 },
        { measure: "CPU per request: server / PostgreSQL / load generator (ms)", value: `${round3(cpu.server)} / ${round3(cpu.postgres)} / ${round3(cpu.load)}`, target: "" },
        { measure: `ceiling those costs allow on ${availableParallelism()} idle cores (req/s)`, value: Math.round(cpu.ceiling), target: "" },
        { measure: "reference: one proof by rebuilding the tree (ms, median of 3)", value: round3(rebuildMs), target: "reference" },
        { measure: "rebuild ÷ served proof latency (p50 at 1,000 req/s)", value: `${Math.round(rebuildMs / Math.max(rate.latency.p50, 1))}×`, target: "" },
      ],
      notes: [
        "A proof is one query: the entry, its block and whether the block's derived data is complete, its leaf position, the anchor and the 4 dense tree tiles (at most 4,032 bytes each) on its path, chosen inside PostgreSQL.",
        `Load from ${loadGeneratorFor({ url: server.url, paths, duration: 15 })} in a separate process; the server keeps ${process.env.DATABASE_POOL_SIZE ?? "4 (the default)"} PostgreSQL connections.`,
        "The ceiling row divides the cores by the CPU one request costs in the server, PostgreSQL and the load generator together; when the measured rate is far below it, the cores were busy with other work.",
        `Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`,
      ],
    };
  } finally {
    await server.stop();
  }
}
