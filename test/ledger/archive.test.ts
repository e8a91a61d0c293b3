import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { privateKeyToAccount } from "viem/accounts";
import { queryRows } from "../../db/client";
import { listPartitions, setPartitionWidth, type PartitionedTable } from "../../db/partitions";
import { DEV_ACCOUNTS } from "../../lib/chain/dev-accounts";
import { archiveBlocksBelow, ArchiveRefusedError } from "../../lib/ledger/archive";
import { directoryMirrorReader } from "../../lib/ledger/mirror-directory";
import { auditLedger } from "../../lib/ledger/audit";
import { writeBackup } from "../../lib/ledger/backup";
import type { LedgerContext } from "../../lib/ledger/context";
import { proofForEntry, type ProofAnswer } from "../../lib/ledger/proofs";
import { publishBlocks, type PublishTarget } from "../../lib/ledger/publish";
import { listBlockEntries } from "../../lib/ledger/reads";
import type { Hash } from "../../lib/protocol/hex";
import { entriesPath, treePath } from "../../lib/protocol/mirror";
import { drivers, skipReason } from "../support/db";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";

const account = privateKeyToAccount(DEV_ACCOUNTS.receiptSigner);
const WIDTHS: Record<PartitionedTable, number> = { entries: 8, entry_leaves: 2, block_tree_tiles: 2 };

/**
 * Records the confirmed anchors of blocks `heights` as the anchoring job does once their roots are
 * on chain. Whether the chain really holds them is the audit's `--chain` step (tested with the
 * anchoring job); here only the archive's gate on the bookkeeping is under test.
 */
async function recordAnchors(ledger: LedgerContext, heights: number[]): Promise<void> {
  for (const height of heights) {
    await ledger.db.execute(
      sql`insert into anchors (height, status, chain_id, registry, tx_hash, chain_block_number, attempts)
          values (${height}, 'confirmed', 31337, '0x5fbdb2315678afecb367f032d93f642f64180aa3', ${`0x${String(height).padStart(64, "0")}`}, ${100 + height}, 1)`,
    );
  }
}

/** A proof answer without the anchor, which was recorded after the proofs were first read. */
function withoutAnchor(answer: ProofAnswer): unknown {
  return answer.status === "sealed" ? { ...answer, bundle: { ...answer.bundle, anchor: undefined } } : answer;
}

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`archiving old partitions on ${driver}`, { skip: skip ?? false }, () => {
    let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
    let ledger: LedgerContext;
    let dir: string;
    let target: PublishTarget;
    const members = new Map<number, Hash[]>();
    const proofsBefore = new Map<Hash, ProofAnswer>();

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "sealbook-archive-"));
      env = await ledgerWithSigner(driver, "archive-test");
      for (const table of Object.keys(WIDTHS) as PartitionedTable[]) await setPartitionWidth(env.ledger.db, table, WIDTHS[table]);
      ledger = { ...env.ledger, archive: directoryMirrorReader(dir) };
      target = {
        dir,
        signer: { address: account.address, signMessage: (message) => account.signMessage({ message }) },
        chain: async () => ({ chainId: 31337, registry: "0x5fbdb2315678afecb367f032d93f642f64180aa3" }),
      };
      for (const size of [5, 6, 7, 3, 4, 6]) {
        const block = await addSealedBlock(ledger, env.privateJwk, size);
        members.set(block.height, (await listBlockEntries(ledger, block.height, { limit: 100 })).entries.map((e) => e.entryHash));
      }
      for (const hashes of members.values()) for (const h of hashes) proofsBefore.set(h, await proofForEntry(ledger, h));
    });
    after(async () => {
      await env?.db.dispose();
      await rm(dir, { recursive: true, force: true });
    });

    const archiveState = async () => ({
      partitions: (await listPartitions(ledger.db)).map((p) => p.name),
      lines: [...(await queryRows<{ below: number }>(ledger.db, sql`select below from ledger_archive`))].map((r) => Number(r.below)),
    });

    it("refuses, changing nothing, while the blocks are not anchored", async () => {
      const state = await archiveState();
      await assert.rejects(archiveBlocksBelow(ledger, ledger.archive, 5), (error: unknown) => {
        assert.ok(error instanceof ArchiveRefusedError);
        assert.match(error.message, /Blocks 1, 2, 3, 4 are not anchored/);
        assert.deepEqual(error.heights, [1, 2, 3, 4]);
        return true;
      });
      await recordAnchors(ledger, [1, 2, 3]);
      await assert.rejects(archiveBlocksBelow(ledger, ledger.archive, 5), /Block 4 is not anchored/);
      assert.deepEqual(await archiveState(), state);
    });

    it("refuses, changing nothing, while the blocks are not published, or with no published files to read", async () => {
      await recordAnchors(ledger, [4, 5, 6]);
      const state = await archiveState();
      await assert.rejects(archiveBlocksBelow(ledger, ledger.archive, 5), /Blocks 1, 2, 3, 4 are not published: run `sealbook publish`/);
      await assert.rejects(archiveBlocksBelow(ledger, undefined, 5), /set SEALBOOK_PUBLISH_DIR/);
      assert.deepEqual(await archiveState(), state);
    });

    it("refuses files that do not match the ledger", async () => {
      await publishBlocks(ledger, target);
      const file = path.join(dir, ...entriesPath(2).split("/"));
      const honest = await readFile(file);
      const swapped = Buffer.concat([honest.subarray(32, 64), honest.subarray(0, 32), honest.subarray(64)]);
      await writeFile(file, swapped);
      try {
        await assert.rejects(archiveBlocksBelow(ledger, ledger.archive, 5), /do not match the ledger.*block 2/);
      } finally {
        await writeFile(file, honest);
      }
      assert.deepEqual((await archiveState()).lines, []);
    });

    it("detaches the partitions holding only blocks below the line, and keeps them aside", async () => {
      const before = await listPartitions(ledger.db);
      const progress: string[] = [];
      const result = await archiveBlocksBelow(ledger, ledger.archive, 5, (p) => progress.push(p.phase));
      assert.equal(result.checked, 4);
      assert.ok(progress.includes("files") && progress.includes("detach"), progress.join(","));
      const detachedTiles = result.detached.filter((p) => p.table === "block_tree_tiles");
      // Tile partitions ending at or below 5: those of heights up to 4.
      assert.deepEqual(detachedTiles.map((p) => p.name).sort(), before.filter((p) => p.table === "block_tree_tiles" && p.upper !== null && p.upper <= 5).map((p) => p.name).sort());
      assert.ok(detachedTiles.length >= 2);
      const detachedEntries = result.detached.filter((p) => p.table === "entries");
      assert.ok(detachedEntries.some((p) => p.lower !== null), "an entries partition with rows was detached");
      assert.equal(result.detached.filter((p) => p.table === "entry_leaves").length, 0, "leaf positions stay");
      for (const p of result.detached) {
        const [{ schema }] = await queryRows<{ schema: string }>(ledger.db, sql`select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relname = ${p.name}`);
        assert.equal(schema, "sealbook_archive", p.name);
      }
      // What remains live holds no tile of an archived block, and the entries of block 1 are gone.
      const [{ n }] = await queryRows<{ n: string }>(ledger.db, sql`select count(*) as n from block_tree_tiles where height < 5`);
      assert.equal(Number(n), 0);
      const first = members.get(1)![0];
      const [{ live }] = await queryRows<{ live: string }>(ledger.db, sql`select count(*) as live from entries where entry_hash = decode(${first.slice(2)}, 'hex')`);
      assert.equal(Number(live), 0);
    });

    it("answers the same proofs for archived entries, from the files, with their anchors", async () => {
      for (const [height, hashes] of members) {
        for (const h of hashes) assert.deepEqual(withoutAnchor(await proofForEntry(ledger, h)), withoutAnchor(proofsBefore.get(h)!), `block ${height}, entry ${h}`);
      }
      const archived = await proofForEntry(ledger, members.get(2)![0]);
      assert.equal(archived.status === "sealed" && archived.bundle.anchor?.chainId, 31337);
      await assert.rejects(proofForEntry(env.ledger, members.get(1)![0]), /Block 1 is archived.*SEALBOOK_PUBLISH_DIR/);
    });

    it("audits archived blocks from the files, and seals on", async () => {
      const report = await auditLedger(ledger);
      assert.deepEqual(report.findings, []);
      assert.equal(report.archived, 4);
      assert.equal(report.checked.blocks, 6);
      const next = await addSealedBlock(ledger, env.privateJwk, 3);
      assert.equal(next.height, 7);
      const after = await auditLedger(ledger);
      assert.deepEqual(after.findings, []);
    });

    it("refuses a backup that could not hold the archived records, saying what to do instead", async () => {
      const written: unknown[] = [];
      await assert.rejects(writeBackup(ledger, { write: async (line) => void written.push(line) }), /Blocks below 5 are archived.*pg_dump/);
      assert.deepEqual(written, []);
    });

    it("catches a changed file of an archived block, in the audit and in the proof", async () => {
      const file = path.join(dir, ...treePath(3).split("/"));
      const honest = await readFile(file);
      const changed = Buffer.from(honest);
      changed[changed.length - 1] ^= 0x01;
      await writeFile(file, changed);
      try {
        const report = await auditLedger(ledger);
        assert.deepEqual(report.findings.map((f) => [f.code, f.height]), [["archived_files_mismatch", 3]]);
        // Some leaf's proof reads the changed node; none is answered from the changed file unchecked.
        const answers = await Promise.allSettled(members.get(3)!.map((h) => proofForEntry(ledger, h)));
        const refused = answers.filter((a) => a.status === "rejected");
        assert.ok(refused.length > 0, "a proof through the changed node is refused");
        for (const a of answers) {
          if (a.status === "fulfilled" && a.value.status === "sealed") assert.deepEqual(withoutAnchor(a.value), withoutAnchor(proofsBefore.get(a.value.bundle.entryHash)!));
        }
      } finally {
        await writeFile(file, honest);
      }
      assert.deepEqual((await auditLedger(ledger)).findings, []);
    });
  });
}
