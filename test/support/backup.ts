/**
 * Shared setup of the backup, restore and repair tests: a ledger anchored on a test chain, backups
 * written to a temporary folder, and fingerprints of the ledger's rows and proofs. Not a test file.
 */
import { mkdtempSync } from "node:fs";
import { after, before } from "node:test";
import { tmpdir } from "node:os";
import path from "node:path";
import { queryRows, sql } from "../../db/client";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { readAnchoredRoots } from "../../lib/chain/anchored-roots";
import { auditWithChain } from "../../lib/chain/audit-check";
import { writeBackup } from "../../lib/ledger/backup";
import { openBackupFile } from "../../lib/ledger/backup-file";
import type { LedgerContext } from "../../lib/ledger/context";
import { proofForEntry } from "../../lib/ledger/proofs";
import type { ProofBundle } from "../../lib/protocol/wire/proof-bundle";
import type { Hash } from "../../lib/protocol/hex";
import type { AnchoringEnv } from "./anchoring";
import { startTestChain, type TestChain } from "./chain";

/** A folder for this run's backup files. */
export function backupFolder(): string {
  return mkdtempSync(path.join(tmpdir(), "sealbook-backup-"));
}

/** Writes a backup of `ledger` to `file`. */
export async function backupTo(ledger: LedgerContext, file: string) {
  const sink = openBackupFile(file);
  const result = await writeBackup(ledger, sink);
  await sink.commit();
  return result;
}

/** Anchors every sealed block of the environment's ledger, and fails unless it worked. */
export async function anchorAll(env: AnchoringEnv): Promise<void> {
  const result = await anchorSealedBlocks(env.newJob());
  if (result.anchoredHeight !== result.ledgerHead) throw new Error(`Anchoring stopped at ${result.anchoredHeight} of ${result.ledgerHead}: ${env.lines.join("; ")}`);
}

/** `audit --chain` of a ledger against the environment's registry. */
export function chainAudit(chain: TestChain, registry: `0x${string}`, ledger: LedgerContext) {
  return auditWithChain(ledger, { client: chain.client, registry });
}

/** What the registry holds, as restore and repair read it. */
export function registryRoots(chain: TestChain, registry: `0x${string}`) {
  return readAnchoredRoots(chain.client, registry);
}

/** The proof bundle of every sealed entry, by entry hash. */
export async function allProofBundles(ledger: LedgerContext): Promise<Map<Hash, ProofBundle>> {
  const rows = await queryRows<{ h: Hash }>(ledger.db, sql`select '0x' || encode(entry_hash, 'hex') as h from entry_leaves order by block_height, leaf_index`);
  const bundles = new Map<Hash, ProofBundle>();
  for (const { h } of rows) {
    const answer = await proofForEntry(ledger, h);
    if (answer.status === "sealed") bundles.set(h, answer.bundle);
  }
  return bundles;
}

/** A digest of every ledger row (entries, leaves, blocks, tiles, signers, anchors): equal digests, equal ledgers. */
export async function ledgerDigest(ledger: LedgerContext): Promise<Record<string, string>> {
  const tables = {
    entries: sql`select md5(coalesce(string_agg(t::text, '|' order by seq), '')) as d from entries t`,
    entry_leaves: sql`select md5(coalesce(string_agg(t::text, '|' order by entry_hash), '')) as d from entry_leaves t`,
    blocks: sql`select md5(coalesce(string_agg(t::text, '|' order by height), '')) as d from blocks t`,
    block_tree_tiles: sql`select md5(coalesce(string_agg(t::text, '|' order by height, tile), '')) as d from block_tree_tiles t`,
    signers: sql`select md5(coalesce(string_agg(t::text, '|' order by kid), '')) as d from signers t`,
    anchors: sql`select md5(coalesce(string_agg((t.height, t.status, t.tx_hash, t.chain_block_number)::text, '|' order by height), '')) as d from anchors t`,
  };
  const digest: Record<string, string> = {};
  for (const [name, query] of Object.entries(tables)) digest[name] = (await queryRows<{ d: string }>(ledger.db, query))[0].d;
  return digest;
}

/** Starts one local chain for the calling test file (before its tests, stopped after); call the result for it. */
export function useTestChain(): () => TestChain {
  let chain: TestChain | undefined;
  before(async () => {
    chain = await startTestChain();
  });
  after(async () => chain?.stop());
  return () => {
    if (!chain) throw new Error("The test chain is not started yet: use it inside a hook or a test.");
    return chain;
  };
}
