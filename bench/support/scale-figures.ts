/**
 * The figures the scale benchmark takes of one built ledger, each measured the same way on the
 * large ledger and on the reference: proof latency, storage, the audit, archiving a partition.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { readConfig } from "../../lib/config";
import type { LedgerContext } from "../../lib/ledger/context";
import { proofResponse } from "../../lib/http/proof-response";
import type { Hash } from "../../lib/protocol/hex";
import { verifyProof } from "../../lib/protocol/proof";
import type { ProofBundle } from "../../lib/protocol/wire/proof-bundle";
import { COMMAND_SPECS } from "../../scripts/commands/specs";
import { startBenchChain, type BenchChain } from "./bench-chain";
import { runSealbook } from "./sealbook-cli";

/** The value at quantile `q` (0…1) of an ascending list, nearest rank. */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * `count` entry hashes drawn uniformly from the whole ledger, old blocks and new alike: random
 * sequence numbers, looked up by the primary key (a TABLESAMPLE would return runs of neighbours).
 */
export async function randomEntryHashes(db: postgres.Sql, count: number): Promise<Hash[]> {
  const [{ max }] = await db<{ max: number }[]>`select coalesce(max(seq), 0)::float8 as max from entries`;
  const seqs = Array.from({ length: Math.ceil(count * 1.1) + 10 }, () => 1 + Math.floor(Math.random() * max));
  const rows = await db<{ h: string }[]>`select encode(entry_hash, 'hex') as h from entries where seq = any (${seqs}::bigint[])`;
  const hashes = rows.map((r) => `0x${r.h}` as Hash);
  // Shuffle: the rows come back in index order, and the measured order must not walk the table.
  for (let i = hashes.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [hashes[i], hashes[j]] = [hashes[j], hashes[i]];
  }
  return hashes.slice(0, count);
}

/**
 * Latency of `GET /api/v1/proofs/{entryHash}` answered in this process by the product's handler
 * (`proofResponse` of lib/http, the function the route and the fast route call), one request at a
 * time, over `count` entries drawn from the whole ledger, body read to the end. Each bundle is
 * checked against its block's root after its time is taken. 50 requests warm the code up first.
 */
export async function proofLatencies(ledger: LedgerContext, databaseUrl: string, db: postgres.Sql, count: number): Promise<{ p50: number; p99: number; samples: number }> {
  const config = readConfig({ DATABASE_URL: databaseUrl, LEDGER_ID: ledger.ledgerId, SEALBOOK_CHAIN: "off" });
  const runtime = async () => ({ ledger, config });
  const hashes = await randomEntryHashes(db, count + 50);
  const times: number[] = [];
  for (const [i, hash] of hashes.entries()) {
    const start = performance.now();
    const response = await proofResponse(runtime, hash);
    const body = await response.text();
    const ms = performance.now() - start;
    if (response.status !== 200) throw new Error(`The proof of ${hash} was answered ${response.status}: ${body.slice(0, 300)}`);
    const bundle = JSON.parse(body) as ProofBundle;
    verifyProof(bundle.block.root, bundle.entryHash, bundle.proof);
    if (i >= 50) times.push(ms);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), samples: times.length };
}

/** Whether this tree's `sealbook` has the `archive` command (issue 17, part 1). */
export const archiveBuilt = () => COMMAND_SPECS.some((c) => c.name === "archive");

/** What archiving a partition took, with the untimed anchoring before it. */
export interface ArchiveFigure {
  /** `sealbook archive --below H`, process start to exit. */
  seconds: number;
  /** `sealbook anchor --wait` over every sealed block, to confirmation (not part of `seconds`). */
  anchorSeconds: number;
  anchoredBlocks: number;
  /** The partitions it detached, as `table [lower, upper)`. */
  detached: string[];
}

/** The partition bounds `archive --below` must detach: one whole partition of entries and one of tiles, both holding data. */
export interface ExpectedArchive {
  entries: { lower: number; upper: number };
  tiles: { lower: number; upper: number };
}

type Detached = { table: string; name: string; lower: number | null; upper: number | null };
const bounds = (p: Detached) => `${p.table} [${p.lower ?? "…"}, ${p.upper ?? "…"})`;

/**
 * Seconds `sealbook archive --below BELOW` takes on the ledger at `databaseUrl`, as an operator
 * reaches it: a local Hardhat node with the ledger's registry (`sealbook deploy`), every sealed
 * block anchored and confirmed (`sealbook anchor --wait`), and published as files (`sealbook
 * publish`) into a temporary SEALBOOK_PUBLISH_DIR, none of which is timed. The figure counts only
 * when the archive detached exactly the partitions `expected` names (besides the empty ones below
 * seq and height 1 that a new ledger starts with): otherwise, or when a step fails, a sentence
 * saying why there is no figure. Never a made-up figure. The node is stopped before returning.
 */
export async function archiveSeconds(databaseUrl: string, ledgerId: string, below: number, expected: ExpectedArchive, log: (line: string) => void): Promise<ArchiveFigure | string> {
  if (!archiveBuilt()) return "not measured: archive not built in this tree";
  const lastLine = (text: string) => text.trim().split("\n").at(-1);
  let chain: BenchChain;
  try {
    chain = await startBenchChain(databaseUrl, ledgerId);
  } catch (error) {
    return `not measured: no local chain to anchor to: ${(error as Error).message.split("\n")[0]}`;
  }
  const dir = await mkdtemp(path.join(tmpdir(), "sealbook-scale-publish-"));
  try {
    const env = { ...chain.env, SEALBOOK_PUBLISH_DIR: dir };
    log(`  anchoring every sealed block on a local Hardhat node (registry ${chain.env.REGISTRY_ADDRESS}), not timed …`);
    const anchored = await runSealbook(["anchor", "--wait", "--timeout", "3600", "--json"], env, (line) => log(`  ${line}`));
    if (anchored.code !== 0) return `not measured: sealbook anchor --wait failed (exit ${anchored.code}): ${lastLine(anchored.stderr)}`;
    const pass = JSON.parse(anchored.stdout) as { anchoredHeight: number; ledgerHead: number };
    if (pass.anchoredHeight < below - 1) return `not measured: sealbook anchor --wait confirmed blocks up to ${pass.anchoredHeight} only, of ${pass.ledgerHead}`;
    log(`  anchored and confirmed ${pass.anchoredHeight} blocks in ${anchored.seconds.toFixed(1)} s; publishing them (not timed) …`);
    const published = await runSealbook(["publish", "--dir", dir], env);
    if (published.code !== 0) return `not measured: sealbook publish failed (exit ${published.code}): ${lastLine(published.stderr)}`;
    log(`  sealbook archive --below ${below} (timed) …`);
    const archived = await runSealbook(["archive", "--below", String(below), "--json"], env);
    if (archived.code !== 0) return `not measured: sealbook archive --below ${below} failed (exit ${archived.code}): ${lastLine(archived.stderr)}`;
    const { detached } = JSON.parse(archived.stdout) as { detached: Detached[] };
    // The partitions a new ledger starts with below seq and height 1 are empty, and go too.
    const withData = detached.filter((p) => p.upper !== 1);
    const want = [
      { table: "entries", ...expected.entries },
      { table: "block_tree_tiles", ...expected.tiles },
    ];
    const exact = withData.length === want.length && want.every((w) => withData.some((p) => p.table === w.table && p.lower === w.lower && p.upper === w.upper));
    if (!exact) {
      return `not comparable: archive --below ${below} took ${archived.seconds.toFixed(3)} s but detached ${withData.map(bounds).join(", ") || "nothing"}, not ${want.map((w) => bounds({ ...w, name: "" })).join(" and ")}`;
    }
    return { seconds: archived.seconds, anchorSeconds: anchored.seconds, anchoredBlocks: pass.anchoredHeight, detached: detached.map(bounds) };
  } finally {
    await chain.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
