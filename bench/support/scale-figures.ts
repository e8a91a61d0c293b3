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

/**
 * Seconds `sealbook archive --below HEIGHT` takes on the ledger at `databaseUrl`, after its blocks
 * are published as files (`sealbook publish`, not timed) into a temporary SEALBOOK_PUBLISH_DIR; or
 * a sentence saying why there is no figure. Never a made-up figure.
 */
export async function archiveSeconds(databaseUrl: string, ledgerId: string, below: number): Promise<number | string> {
  if (!archiveBuilt()) return "not measured: archive not built in this tree";
  const dir = await mkdtemp(path.join(tmpdir(), "sealbook-scale-publish-"));
  try {
    const env = { DATABASE_URL: databaseUrl, LEDGER_ID: ledgerId, SEALBOOK_PUBLISH_DIR: dir, SEALBOOK_CHAIN: "off" };
    const published = await runSealbook(["publish", "--dir", dir], env);
    if (published.code !== 0) return `not measured: sealbook publish failed (exit ${published.code}): ${published.stderr.trim().split("\n").at(-1)}`;
    const archived = await runSealbook(["archive", "--below", String(below)], env);
    if (archived.code !== 0) return `not measured: sealbook archive --below ${below} failed (exit ${archived.code}): ${archived.stderr.trim().split("\n").at(-1)}`;
    return archived.seconds;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
