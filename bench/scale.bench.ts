/**
 * `npm run bench scale`: builds a ledger of 10,000,000 entries in 100 blocks on PostgreSQL (issue
 * 17, "Proven at scale"), and beside it a 100,000-entry reference ledger with blocks of the same
 * size, through the bulk loader (bench/support/bulk-load.ts: real Ed25519 records by registered
 * signers, each block signed against the root sealed before it, copied in, sealed by the product's
 * seal). It then measures on both, in the same run: proof latency, seal time per block, audit
 * throughput, bytes per entry, the largest index, and the time to archive a partition; and prints
 * each large figure over its reference. The goal: nothing but storage grows with the ledger's age.
 *
 * Both ledgers are partitioned alike before loading (setPartitionWidth): a partition of entries
 * holds --partition-blocks whole blocks, one of leaves or tiles as many heights, so that `sealbook
 * archive --below` (after anchoring on a local Hardhat node and publishing, neither timed) detaches
 * the same amount of data from each: the first partition.
 *
 * Flags (`--name=value`): --entries (10,000,000, a multiple of --blocks), --blocks (100),
 * --reference (100,000 entries; raised to --partition-blocks blocks if smaller), --signers (4),
 * --proofs (2,000 sampled), --partition-blocks (1), --keep (keep the databases).
 * A quick run: `npm run bench scale -- --entries=1000000 --blocks=10`.
 */
import { statfs } from "node:fs/promises";
import { availableParallelism, loadavg, totalmem } from "node:os";
import postgres from "postgres";
import { openDatabase } from "../db/client";
import { setPartitionWidth } from "../db/partitions";
import { openLedger } from "../lib/ledger/context";
import type { BenchResult, BenchRow } from "./harness";
import { median, round3 } from "./harness";
import { bulkLoadLedger, registerBulkSigners } from "./support/bulk-load";
import { BENCH_LEDGER } from "./support/ingest-setup";
import { archiveSeconds, proofLatencies, type ArchiveFigure } from "./support/scale-figures";
import { runCliAudit } from "./support/sealbook-cli";
import { analyzed, benchAdminUrl, createBenchDatabase } from "./support/server";
import { LEDGER_TABLES, ledgerStorage, type LedgerStorage } from "./support/storage-sizes";

/** What a ledger takes on disk per entry, with room to spare (measured: about 1,150 B), for the disk check. */
const DISK_BYTES_PER_ENTRY = 1_600;

interface Options {
  entries: number;
  blocks: number;
  reference: number;
  signers: number;
  proofs: number;
  /** Blocks per partition: of entries (that many blocks' seqs), of leaves and of tiles (that many heights). */
  partitionBlocks: number;
  keep: boolean;
}

function parseOptions(args: string[]): Options {
  const value = (name: string, fallback: number) => {
    const arg = args.find((a) => a.startsWith(`--${name}=`));
    if (!arg) return fallback;
    const n = Number(arg.slice(name.length + 3).replace(/_/g, ""));
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`--${name} must be a positive whole number, not ${JSON.stringify(arg.slice(name.length + 3))}.`);
    return n;
  };
  const options = {
    entries: value("entries", 10_000_000),
    blocks: value("blocks", 100),
    reference: value("reference", 100_000),
    signers: value("signers", 4),
    proofs: value("proofs", 2_000),
    partitionBlocks: value("partition-blocks", 1),
    keep: args.includes("--keep"),
  };
  // Partitions hold whole blocks only if every block has the same number of entries.
  if (options.entries % options.blocks !== 0) throw new RangeError(`--entries (${options.entries}) must be a multiple of --blocks (${options.blocks}), so that partitions hold whole blocks.`);
  if (options.blocks < options.partitionBlocks) throw new RangeError(`--blocks (${options.blocks}) must be at least --partition-blocks (${options.partitionBlocks}), so that one partition fills up.`);
  return options;
}

interface LedgerFigures {
  entries: number;
  blocks: number;
  loadSeconds: number;
  sealMs: number[];
  proof: { p50: number; p99: number; samples: number };
  audit: { rate: number; seconds: number; findings: number; code: number | null; entries: number };
  storage: LedgerStorage;
  archive: ArchiveFigure | string;
}

const fmt = (n: number) => n.toLocaleString("en");
const clock = (seconds: number) => {
  const s = Math.round(seconds);
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m${String(s % 60).padStart(2, "0")}s`;
};

/** Refuses to start when PostgreSQL's data directory (when on this machine) lacks room for the ledgers. */
async function checkDisk(entries: number, log: (line: string) => void): Promise<string> {
  const admin = postgres(benchAdminUrl, { max: 1, onnotice: () => {} });
  const [{ data_directory: dir }] = await admin<{ data_directory: string }[]>`select current_setting('data_directory') as data_directory`;
  await admin.end();
  const need = entries * DISK_BYTES_PER_ENTRY + 2 * 1024 ** 3;
  const free = await statfs(dir).then((s) => s.bavail * s.bsize, () => null);
  const line = `disk: about ${round3(need / 1024 ** 3)} GiB needed (${DISK_BYTES_PER_ENTRY} B an entry + 2 GiB of WAL), ${free === null ? "free space unknown (PostgreSQL's data directory is not on this machine)" : `${round3(free / 1024 ** 3)} GiB free`}`;
  log(line);
  if (free !== null && free < need) throw new Error(`Not enough disk for this run: ${line}. Free some space, or choose a smaller --entries.`);
  return line;
}

/** How wide the partitions of a ledger are: entries in seqs, leaves and tiles in heights. */
interface Widths {
  entries: number;
  heights: number;
}

/**
 * Builds a ledger of `entries` in `blocks` in a fresh database, partitioned at `widths` from the
 * start (the product's setPartitionWidth, before the first entry), printing progress; returns its
 * URL and build figures.
 */
async function buildLedger(name: string, entries: number, blocks: number, widths: Widths, signerCount: number, log: (line: string) => void) {
  const database = await createBenchDatabase(name);
  const handle = await openDatabase({ url: database.url, maxConnections: 2 });
  const sealMs: number[] = [];
  const start = performance.now();
  try {
    const ledger = await openLedger(handle, BENCH_LEDGER);
    await setPartitionWidth(ledger.db, "entries", widths.entries);
    await setPartitionWidth(ledger.db, "entry_leaves", widths.heights);
    await setPartitionWidth(ledger.db, "block_tree_tiles", widths.heights);
    const signers = await registerBulkSigners(ledger, signerCount);
    let lastLog = 0;
    await bulkLoadLedger(ledger, signers, {
      entries,
      blocks,
      onSealed: (_block, ms) => sealMs.push(ms),
      onProgress: ({ loaded, sealed }) => {
        const now = performance.now();
        if (now - lastLog < 10_000 && sealed < blocks) return;
        lastLog = now;
        const seconds = (now - start) / 1000;
        const rate = loaded / seconds;
        log(`${name}: ${fmt(loaded)}/${fmt(entries)} entries loaded, ${sealed}/${blocks} blocks sealed, ${fmt(Math.round(rate))} entries/s, ETA ${clock((entries - loaded) / rate)}`);
      },
    });
  } catch (error) {
    await handle.close();
    await database.drop();
    throw error;
  }
  await handle.close();
  return { database, loadSeconds: (performance.now() - start) / 1000, sealMs };
}

/** Measures one built ledger: proofs, storage, the CLI audit over all of it, archiving. */
async function measure(url: string, entries: number, blocks: number, build: { loadSeconds: number; sealMs: number[] }, widths: Widths, options: Options, log: (line: string) => void): Promise<LedgerFigures> {
  // Steady state, as autovacuum leaves a live ledger: statistics and visibility maps.
  await analyzed(url);
  const handle = await openDatabase({ url, maxConnections: 2 });
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const ledger = await openLedger(handle, BENCH_LEDGER);
    log(`proofs: ${fmt(options.proofs)} entries drawn from the whole ledger …`);
    const proof = await proofLatencies(ledger, url, db, options.proofs);
    const storage = await ledgerStorage(db);
    log(`audit: sealbook audit over all ${fmt(entries)} entries …`);
    let lastLog = 0;
    const audit = await runCliAudit(url, BENCH_LEDGER, (line) => {
      if (Date.now() - lastLog < 15_000) return;
      lastLog = Date.now();
      log(`  ${line}`);
    });
    // Seqs start at 1 and a block's entries take consecutive seqs, so the first partition, seqs
    // [1, 1 + widths.entries), holds exactly blocks 1 to partitionBlocks, all below the line.
    const below = options.partitionBlocks + 1;
    log(`archive: sealbook archive --below ${below} …`);
    const archive = await archiveSeconds(url, BENCH_LEDGER, below, { entries: { lower: 1, upper: 1 + widths.entries }, tiles: { lower: 1, upper: 1 + widths.heights } }, log);
    return {
      entries,
      blocks,
      ...build,
      proof,
      storage,
      archive,
      audit: { rate: audit.report.checked.entries / audit.seconds, seconds: audit.seconds, findings: audit.report.findings.length, code: audit.code, entries: audit.report.checked.entries },
    };
  } finally {
    await db.end();
    await handle.close();
  }
}

/** Postgres's version and the settings that bound these figures, for the configuration label. */
async function serverLabel(): Promise<string> {
  const admin = postgres(benchAdminUrl, { max: 1, onnotice: () => {} });
  const [row] = await admin<{ v: string; sb: string; wal: string; sync: string }[]>`
    select current_setting('server_version') as v, current_setting('shared_buffers') as sb, current_setting('max_wal_size') as wal, current_setting('synchronous_commit') as sync`;
  await admin.end();
  return `PostgreSQL ${row.v} (shared_buffers ${row.sb}, max_wal_size ${row.wal}, synchronous_commit ${row.sync})`;
}

/**
 * One row: a figure on the reference and on the large ledger, their ratio, and its target. "≈ 1"
 * is met unless the large ledger does worse by more than 1.5× (slower, or for a rate, lower).
 */
function compared(measure: string, ref: number | string, big: number | string, target: "≈ 1" | "≈ 1, a rate" | "grows" | "report"): BenchRow {
  const both = typeof ref === "number" && typeof big === "number";
  const ratio = both ? big / ref : null;
  const worse = ratio === null ? null : target === "≈ 1, a rate" ? 1 / ratio : ratio;
  const verdict = worse === null || !target.startsWith("≈") ? "" : worse <= 1.5 ? ": met" : ": missed";
  return {
    measure,
    reference: typeof ref === "number" ? round3(ref) : ref,
    large: typeof big === "number" ? round3(big) : big,
    "large ÷ reference": ratio === null ? "n/a" : `${round3(ratio)}×`,
    target: target === "grows" ? "grows (storage)" : `${target.startsWith("≈") ? "≈ 1" : target}${verdict}`,
  };
}

/** The archive row's figure: its seconds, or why there is none. */
const archiveFigure = (a: ArchiveFigure | string) => (typeof a === "string" ? a : a.seconds);

/** Why both archive figures detach the same data, and what the partitioning costs the other figures. */
function partitionNote(widths: Widths, options: Options, ref: LedgerFigures, big: LedgerFigures): string {
  const count = (f: LedgerFigures) => f.storage.tables.entries.partitions;
  const raised = ref.entries !== options.reference ? ` (--reference=${fmt(options.reference)} made whole blocks of the same size, at least one partition's worth)` : "";
  return (
    `Partitions, in both ledgers, set with setPartitionWidth before loading: entries ${fmt(widths.entries)} seqs (${widths.heights} × ${fmt(widths.entries / widths.heights)}-entry blocks; seqs start at 1), leaves and tiles ${widths.heights} height(s); ` +
    `the reference is ${fmt(ref.entries)} entries in ${ref.blocks} block(s)${raised}. archive --below ${widths.heights + 1} then detaches the same data from each: the first entries partition (${widths.heights === 1 ? "block 1" : `blocks 1 to ${widths.heights}`}) and its tiles, checked against what the command reports. ` +
    `Lookups by entry hash read one index (entry_keys, migration 0011) and then one partition of each table, whatever their number: ${count(big)} entries partitions in the large ledger against ${count(ref)} in the reference (counting the empty ones).`
  );
}

/** The untimed anchoring before the archive: how long the product's anchoring took a block. */
function anchoringNote(ref: ArchiveFigure | string, big: ArchiveFigure | string): string {
  const one = (name: string, a: ArchiveFigure | string) =>
    typeof a === "string" ? `${name}: none (${a})` : `${name}: ${a.anchoredBlocks} blocks in ${round3(a.anchorSeconds)} s (${round3(a.anchorSeconds / a.anchoredBlocks)} s a block, the process's start included); detached ${a.detached.join(", ")}`;
  return `Before archiving, each ledger's registry was deployed on a local Hardhat node (sealbook deploy) and every sealed block anchored and confirmed with \`sealbook anchor --wait\`, then published (sealbook publish); none of it timed. ${one("Reference", ref)}; ${one("large", big)}.`;
}

export async function run(args: string[]): Promise<BenchResult> {
  const options = parseOptions(args);
  const started = performance.now();
  const log = (line: string) => console.log(`  [${clock((performance.now() - started) / 1000)}] ${line}`);
  const perBlock = options.entries / options.blocks;
  // The reference has blocks of the same size, and at least one whole partition to archive.
  const referenceBlocks = Math.max(options.partitionBlocks, Math.round(options.reference / perBlock));
  const referenceEntries = perBlock * referenceBlocks;
  const widths: Widths = { entries: perBlock * options.partitionBlocks, heights: options.partitionBlocks };
  const disk = await checkDisk(options.entries + referenceEntries, log);
  const server = await serverLabel();
  const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(", ");

  // The large ledger first: the reference is then sealed by a warm process (the first seal of a
  // process pays for compiling its code, and the reference may have one block), and is the fresher
  // in the caches, which can only flatter the reference, never the large ledger.
  log(`building the large ledger: ${fmt(options.entries)} entries in ${options.blocks} blocks …`);
  const bigBuild = await buildLedger("sealbook_bench_scale_large", options.entries, options.blocks, widths, options.signers, log);
  let refBuild: Awaited<ReturnType<typeof buildLedger>> | null = null;
  try {
    log(`building the reference: ${fmt(referenceEntries)} entries in ${referenceBlocks} block(s) …`);
    refBuild = await buildLedger("sealbook_bench_scale_reference", referenceEntries, referenceBlocks, widths, options.signers, log);
    log("measuring the reference …");
    const ref = await measure(refBuild.database.url, referenceEntries, referenceBlocks, refBuild, widths, options, log);
    log("measuring the large ledger …");
    const big = await measure(bigBuild.database.url, options.entries, options.blocks, bigBuild, widths, options, log);

    const gib = (bytes: number) => bytes / 1024 ** 3;
    const first = big.sealMs.slice(0, 10);
    const last = big.sealMs.slice(-10);
    const title = `a ${fmt(big.entries)}-entry ledger in ${big.blocks} blocks beside a ${fmt(ref.entries)}-entry reference in ${ref.blocks} (${fmt(perBlock)} entries a block), PostgreSQL, bulk-loaded`;
    return {
      title,
      rows: [
        compared("proof latency p50 (ms), in process", ref.proof.p50, big.proof.p50, "≈ 1"),
        compared("proof latency p99 (ms), in process", ref.proof.p99, big.proof.p99, "≈ 1"),
        compared("seal time per block, median (s)", median(ref.sealMs) / 1000, median(big.sealMs) / 1000, "≈ 1"),
        compared("audit throughput, whole ledger, CLI (entries/s)", ref.audit.rate, big.audit.rate, "≈ 1, a rate"),
        compared("audit findings (exit code)", `${ref.audit.findings} (${ref.audit.code})`, `${big.audit.findings} (${big.audit.code})`, "report"),
        compared("bytes per entry, all ledger tables (B)", ref.storage.total / ref.entries, big.storage.total / big.entries, "≈ 1"),
        compared("all ledger tables (GiB)", gib(ref.storage.total), gib(big.storage.total), "grows"),
        compared(`largest index (GiB): ${ref.storage.largestIndex.name} / ${big.storage.largestIndex.name}`, gib(ref.storage.largestIndex.bytes), gib(big.storage.largestIndex.bytes), "grows"),
        compared("largest index, bytes per entry (B)", ref.storage.largestIndex.bytes / ref.entries, big.storage.largestIndex.bytes / big.entries, "≈ 1"),
        compared(`archive a partition (${fmt(widths.entries)} entries): sealbook archive --below ${options.partitionBlocks + 1} (s)`, archiveFigure(ref.archive), archiveFigure(big.archive), "≈ 1"),
        compared("bulk load, sign + copy + seal (entries/s)", ref.entries / ref.loadSeconds, big.entries / big.loadSeconds, "report"),
      ],
      notes: [
        `Configuration: ${server}; ${availableParallelism()} cores, ${round3(totalmem() / 1024 ** 3)} GiB of memory, shared with whatever else ran; ${options.signers} Ed25519 signers; ${disk}.`,
        `Storage layout of the large ledger: ${LEDGER_TABLES.map((t) => `${t} ${big.storage.tables[t].partitions > 0 ? `in ${big.storage.tables[t].partitions} partitions` : "not partitioned"}`).join(", ")}; sizes are summed over partitions, and the largest index is that of one table or partition.`,
        partitionNote(widths, options, ref, big),
        anchoringNote(ref.archive, big.archive),
        "Bulk load (bench/support/bulk-load.ts): each block's records signed on worker threads against the root sealed before it, decoded by the protocol, copied in with COPY as the rows ingest stores, sealed by sealPendingEntries in this process.",
        `Proofs: ${fmt(big.proof.samples)} entries per ledger drawn uniformly from all its blocks, each answered by lib/http's proofResponse in this process (not over HTTP), one at a time, body read; every bundle verified against its root.`,
        "Audit: the real `sealbook audit --json` over the whole ledger in its own process, start to exit (about 2 s of it is the process starting, which weighs on a small ledger). Bytes and indexes: pg_total_relation_size / pg_relation_size after VACUUM ANALYZE.",
        `"≈ 1: met" means the large ledger does at most 1.5× worse than the reference (slower, larger, or a lower rate; a shared machine is noisy); "grows" is storage, expected to grow ${round3(big.entries / ref.entries)}× here.`,
        `Seal time as the large ledger ages: median of its first ${first.length} blocks ${round3(median(first) / 1000)} s, of its last ${last.length} ${round3(median(last) / 1000)} s (${round3(median(last) / median(first))}×).`,
        `Seal times of the large ledger's blocks (s): ${big.sealMs.map((ms) => round3(ms / 1000)).join(", ")}.`,
        `Build times: reference ${clock(ref.loadSeconds)}, large ${clock(big.loadSeconds)}; audit times: ${clock(ref.audit.seconds)} and ${clock(big.audit.seconds)}; whole run ${clock((performance.now() - started) / 1000)}.`,
        `Load average at the start: ${loadAtStart}; at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`,
      ],
    };
  } finally {
    if (options.keep) log(`kept databases sealbook_bench_scale_reference and sealbook_bench_scale_large (--keep)`);
    else {
      await bigBuild.database.drop();
      await refBuild?.database.drop();
    }
  }
}
