/**
 * `npm run bench merkle`: building block trees, side by side in one run — the reference library
 * (`StandardMerkleTree.of`), the simple `buildBlockTree`, and the fast builders of
 * lib/protocol/fast-tree on 100k and 1M entries — with the roots checked equal, the peak memory of a
 * 1M build (in a separate process, so nothing else inflates it), the Keccak options compared
 * (hashes per second) and a probe of whether a second thread would help on this machine.
 *
 * Options: `--runs=N` runs of each fast build (median; 5 by default), `--library-runs=N` (1 by
 * default: it takes ~15 s), `--no-library` to skip it (then no ratio is printed).
 * Run alone, with `--rss-probe`, this file builds one 1M tree and prints its memory figures as JSON.
 */
import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { createKeccak } from "hash-wasm";
import { buildBlockTreeFast, buildBlockTreePacked } from "../lib/protocol/fast-tree";
import { bytesToHex } from "../lib/protocol/hex";
import { bestKeccakKernelVariant, createKeccakKernel, type KeccakKernelVariant } from "../lib/protocol/keccak-kernel";
import { KERNEL_HEADER_BYTES, keccakModuleBytes } from "../lib/protocol/keccak-wasm";
import { buildBlockTree } from "../lib/protocol/merkle";
import { median, round3, timeRuns, type BenchResult, type BenchRow } from "./harness";

const TARGET_1M_MS = 2000;
const TARGET_RATIO = 100;
const TARGET_RSS_MB = 1024;
const SMALL = 100_000;
const LARGE = 1_000_000;
const MB = 1024 * 1024;

function randomPacked(count: number): Uint8Array {
  const packed = new Uint8Array(32 * count);
  for (let at = 0; at < packed.length; at += 65536) crypto.getRandomValues(packed.subarray(at, at + 65536));
  return packed;
}
const unpack = (packed: Uint8Array) => Array.from({ length: packed.length / 32 }, (_, i) => packed.subarray(32 * i, 32 * i + 32));

const numberArg = (args: string[], name: string, fallback: number) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);

interface Row {
  measure: string;
  entries?: number;
  runs?: number;
  medianMs?: number;
  perSecond?: number;
  vsLibrary?: string;
  target?: string;
  met?: boolean;
}
const row = (r: Row): BenchRow => ({
  measure: r.measure,
  entries: r.entries ?? null,
  runs: r.runs ?? null,
  "median ms": r.medianMs === undefined ? null : round3(r.medianMs),
  "per second": r.perSecond === undefined ? null : round3(r.perSecond),
  "vs library": r.vsLibrary ?? null,
  target: r.target ?? null,
  met: r.met ?? null,
});

/** Hashes per second of keccak-256 over 32-byte inputs, each way the tree could hash. */
async function hashingOptions(): Promise<Row[]> {
  const count = 100_000;
  const packed = randomPacked(count);
  const inputs = unpack(packed);
  const rate = (ms: number[], hashes: number) => hashes / (median(ms) / 1000);
  const rows: Row[] = [];

  const noble = await timeRuns(3, () => inputs.forEach((input) => keccak_256(input)));
  rows.push({ measure: "keccak-256, 32 B: @noble/hashes keccak_256, one call each", runs: 3, perSecond: rate(noble, count) });

  const hasher = await createKeccak(256);
  const hashWasm = await timeRuns(3, () =>
    inputs.forEach((input) => {
      hasher.init();
      hasher.update(input);
      hasher.digest("binary");
    }),
  );
  rows.push({ measure: "keccak-256, 32 B: hash-wasm createKeccak, reused", runs: 3, perSecond: rate(hashWasm, count) });

  for (const variant of ["scalar", "simd"] satisfies KeccakKernelVariant[]) {
    const kernel = createKeccakKernel(32 * count, variant);
    if (kernel === null) continue;
    kernel.bytes.set(packed, KERNEL_HEADER_BYTES);
    const ms = await timeRuns(5, () => kernel.exports.leaves(KERNEL_HEADER_BYTES, count)); // 2 hashes per entry
    const label = variant === "simd" ? "WASM, 3 at a time (SIMD pair + i64)" : "WASM, one at a time (i64 lanes)";
    rows.push({ measure: `keccak-256, 32 B: Sealbook kernel, ${label}`, runs: 5, perSecond: rate(ms, 2 * count) });
  }
  return rows;
}

/** Leaf hashing on one thread, then on two at once: does a second worker thread add throughput here, now? */
async function threadProbe(): Promise<Row[]> {
  const variant = bestKeccakKernelVariant();
  if (variant === null) return [];
  const module = new WebAssembly.Module(keccakModuleBytes(variant === "simd"));
  const count = 200_000;
  const source = `
    const { parentPort, workerData: { module, count, header } } = require("node:worker_threads");
    const memory = new WebAssembly.Memory({ initial: Math.ceil((header + 32 * count) / 65536) });
    const { exports } = new WebAssembly.Instance(module, { env: { memory } });
    new Uint8Array(memory.buffer).fill(0x5a, header);
    exports.leaves(header, 1000); // warm up
    parentPort.once("message", () => { exports.leaves(header, count); parentPort.postMessage("done"); });
    parentPort.postMessage("ready");`;
  const hashOn = async (threads: number): Promise<number> => {
    const workers = Array.from({ length: threads }, () => new Worker(source, { eval: true, workerData: { module, count, header: KERNEL_HEADER_BYTES } }));
    const next = (w: Worker) => new Promise<void>((resolve, reject) => { w.once("message", () => resolve()); w.once("error", reject); });
    await Promise.all(workers.map(next));
    const start = performance.now();
    const done = workers.map(next);
    workers.forEach((w) => w.postMessage("go"));
    await Promise.all(done);
    const ms = performance.now() - start;
    await Promise.all(workers.map((w) => w.terminate()));
    return (2 * count * threads) / (ms / 1000);
  };
  const one = median([await hashOn(1), await hashOn(1), await hashOn(1)]);
  const two = median([await hashOn(2), await hashOn(2), await hashOn(2)]);
  return [
    { measure: "leaf hashing, 1 worker thread", runs: 3, perSecond: one },
    { measure: `leaf hashing, 2 worker threads at once (${round3(two / one)}× one)`, runs: 3, perSecond: two },
  ];
}

/** Peak memory of one 1M build, measured in a fresh process running this file with --rss-probe. */
function rssProbe(): { baselineMb: number; peakMb: number; heapUsedMb: number; externalMb: number; ms: number } {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--rss-probe"], {
    encoding: "utf8",
    maxBuffer: MB,
  });
  if (child.status !== 0) throw new Error(`The RSS probe failed (exit ${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop() ?? "{}");
}

async function runRssProbe(): Promise<void> {
  const packed = randomPacked(LARGE);
  const baselineMb = process.memoryUsage().rss / MB;
  const start = performance.now();
  const tree = buildBlockTreePacked(packed);
  const ms = performance.now() - start;
  const { heapUsed, external } = process.memoryUsage();
  const peakMb = (process.resourceUsage().maxRSS * 1024) / MB;
  console.log(JSON.stringify({ baselineMb, peakMb, heapUsedMb: heapUsed / MB, externalMb: external / MB, ms, size: tree.size }));
}

export async function run(args: string[]): Promise<BenchResult> {
  const runs = numberArg(args, "runs", 5);
  const libraryRuns = args.includes("--no-library") ? 0 : numberArg(args, "library-runs", 1);
  const rows: Row[] = [];
  const notes: string[] = [];

  rows.push(...(await hashingOptions()));
  rows.push(...(await threadProbe()));

  // 1M: packed (how the ledger reads entry hashes from the database) and one array per entry.
  const large = randomPacked(LARGE);
  let largeRoot = "";
  const largePacked = await timeRuns(runs, () => (largeRoot = buildBlockTreePacked(large).root));
  const largeEntries = unpack(large);
  let largeArrayRoot = "";
  const largeArray = await timeRuns(Math.min(runs, 3), () => (largeArrayRoot = buildBlockTreeFast(largeEntries).root));
  const memory = rssProbe();

  // 100k: every builder over the same entries.
  const small = randomPacked(SMALL);
  const smallEntries = unpack(small);
  const roots: Record<string, string> = {};
  const fastPacked = await timeRuns(Math.max(runs, 7), () => (roots.fastPacked = buildBlockTreePacked(small).root));
  const fastArray = await timeRuns(Math.max(runs, 7), () => (roots.fastArray = buildBlockTreeFast(smallEntries).root));
  const simple = await timeRuns(2, () => (roots.simple = buildBlockTree(smallEntries).root));
  const libraryValues = smallEntries.map((e) => [bytesToHex(e)]);
  const library = libraryRuns > 0 ? await timeRuns(libraryRuns, () => (roots.library = StandardMerkleTree.of(libraryValues, ["bytes32"]).root)) : [];

  const libraryMs = library.length > 0 ? median(library) : undefined;
  const ratio = (ms: number[]) => (libraryMs === undefined ? undefined : libraryMs / median(ms));
  const vs = (ms: number[]) => {
    const r = ratio(ms);
    return r === undefined ? undefined : `${round3(r)}×`;
  };
  const perSecond = (ms: number[], n: number) => n / (median(ms) / 1000);
  if (libraryMs !== undefined) {
    rows.push({ measure: "StandardMerkleTree.of (reference library)", entries: SMALL, runs: library.length, medianMs: libraryMs, perSecond: perSecond(library, SMALL), vsLibrary: "1×" });
  }
  rows.push({ measure: "buildBlockTree (simple, merkle.ts)", entries: SMALL, runs: 2, medianMs: median(simple), perSecond: perSecond(simple, SMALL), vsLibrary: vs(simple) });
  const smallRatio = ratio(fastPacked);
  rows.push({
    measure: "buildBlockTreePacked (fast)", entries: SMALL, runs: fastPacked.length, medianMs: median(fastPacked), perSecond: perSecond(fastPacked, SMALL),
    vsLibrary: vs(fastPacked), target: `≥ ${TARGET_RATIO}× library`, met: smallRatio === undefined ? undefined : smallRatio >= TARGET_RATIO,
  });
  rows.push({ measure: "buildBlockTreeFast (fast, one array per entry)", entries: SMALL, runs: fastArray.length, medianMs: median(fastArray), perSecond: perSecond(fastArray, SMALL), vsLibrary: vs(fastArray) });
  rows.push({
    measure: "buildBlockTreePacked (fast)", entries: LARGE, runs: largePacked.length, medianMs: median(largePacked), perSecond: perSecond(largePacked, LARGE),
    target: `≤ ${TARGET_1M_MS} ms`, met: median(largePacked) <= TARGET_1M_MS,
  });
  rows.push({ measure: "buildBlockTreeFast (fast, one array per entry)", entries: LARGE, runs: largeArray.length, medianMs: median(largeArray), perSecond: perSecond(largeArray, LARGE), target: `≤ ${TARGET_1M_MS} ms`, met: median(largeArray) <= TARGET_1M_MS });
  rows.push({
    measure: `peak RSS building one 1M tree in a fresh process: ${Math.round(memory.peakMb)} MB (${Math.round(memory.baselineMb)} MB before, input included)`,
    entries: LARGE, runs: 1, medianMs: memory.ms, target: `< ${TARGET_RSS_MB} MB`, met: memory.peakMb < TARGET_RSS_MB,
  });

  const smallRootsEqual = new Set(Object.values(roots)).size === 1;
  rows.push({ measure: `roots identical: 100k (${Object.keys(roots).join(", ")}); 1M (packed, array)`, met: smallRootsEqual && largeRoot === largeArrayRoot });

  notes.push(
    `Targets (2 cores): 1M entries in ≤ ${TARGET_1M_MS} ms; ≥ ${TARGET_RATIO}× the library on 100k; identical roots; well under ${TARGET_RSS_MB} MB for 1M.`,
    `Measured: 1M packed ${Math.round(median(largePacked))} ms (runs: ${largePacked.map(Math.round).join(", ")}); 100k ${round3(median(fastPacked))} ms` +
      (smallRatio === undefined ? "." : `, ${round3(smallRatio)}× the library's ${round3(libraryMs! / 1000)} s.`),
    `Memory of a 1M build: peak RSS ${Math.round(memory.peakMb)} MB, heap used after ${Math.round(memory.heapUsedMb)} MB, external ${Math.round(memory.externalMb)} MB (nodes alone are 64 MB).`,
    `100k root ${roots.fastPacked}${smallRootsEqual ? ", the same from every builder" : ` — MISMATCH: ${JSON.stringify(roots)}`}; 1M root ${largeRoot}${largeRoot === largeArrayRoot ? " from both input forms" : " — MISMATCH between input forms"}.`,
    `Kernel in use: ${bestKeccakKernelVariant() ?? "none (JS fallback)"}. Load average when done: ${loadavg().map((l) => l.toFixed(2)).join(", ")} — the machine is shared, so figures move with it.`,
  );
  return { title: "Block tree builds: reference library vs simple vs fast (roots checked)", rows: rows.map(row), notes };
}

if (process.argv.includes("--rss-probe") && process.argv[1] === fileURLToPath(import.meta.url)) {
  await runRssProbe();
}
