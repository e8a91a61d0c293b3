import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { migrationsFolder, wrapPglite } from "../../db/client";
import { auditLedger } from "../../lib/ledger/audit";
import { openLedger } from "../../lib/ledger/context";
import { proofForEntry } from "../../lib/ledger/proofs";
import { listBlockEntries } from "../../lib/ledger/reads";
import { leafBytesOf } from "../../lib/protocol/hash";
import { bytesToHex, hashToBytes } from "../../lib/protocol/hex";
import { buildBlockTree } from "../../lib/protocol/merkle";
import { tilesOfTree } from "../../lib/protocol/tiles";
import { vectors } from "../support/vectors";

/** A copy of the migrations folder that stops before the migration tagged `stopBefore`. */
function migrationsUpTo(stopBefore: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sealbook-migrations-"));
  cpSync(migrationsFolder(), dir, { recursive: true });
  const journalFile = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === stopBefore));
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

describe("migrating a ledger sealed before entry_leaves existed", () => {
  it("keeps every sealed entry in its block, with its leaf position and proof", async () => {
    const client = new PGlite();
    const old = migrationsUpTo("0003_entry_leaves");
    try {
      await migrate(drizzle(client), { migrationsFolder: old });
      // Block 1 of the vectors, sealed the old way: leaf positions on the entry rows.
      const leafOf = (entryHash: string) => bytesToHex(leafBytesOf(hashToBytes(entryHash)));
      const sorted = [...vectors.block1.entries].sort((a, b) => (leafOf(a) < leafOf(b) ? -1 : 1));
      await client.query(`insert into ledger (id, genesis_root) values ($1, decode($2, 'hex'))`, [vectors.ledgerId, vectors.genesisRoot.slice(2)]);
      for (const signer of vectors.signers) {
        await client.query(`insert into signers (kid, alg, public_jwk, label, valid_from) values ($1, $2, $3, 'vector signer', '2026-01-01')`, [signer.kid, signer.alg, JSON.stringify(signer.publicJwk)]);
      }
      for (const record of vectors.records) {
        const payload = record.payload as { id: string; kind: string; prevRoot: string };
        await client.query(
          `insert into entries (entry_hash, record_id, kid, kind, prev_root, jws, accepted_at, block_height, leaf_index)
           values (decode($1, 'hex'), $2, $3, $4, decode($5, 'hex'), $6, '2026-11-22T10:05:00Z', 1, $7)`,
          [record.entryHash.slice(2), payload.id, record.kid, payload.kind, payload.prevRoot.slice(2), record.jws, sorted.indexOf(record.entryHash)],
        );
      }
      await client.query(
        `insert into blocks (height, root, prev_root, entry_count, sealed_at) values (1, decode($1, 'hex'), decode($2, 'hex'), 5, '2026-11-22T10:06:00Z')`,
        [vectors.block1.root.slice(2), vectors.block1.prevRoot.slice(2)],
      );
      for (const [tile, bytes] of tilesOfTree(buildBlockTree(vectors.block1.entries.map(hashToBytes)).nodes)) {
        await client.query(`insert into block_tree_tiles (height, tile, nodes) values (1, $1, $2)`, [tile, bytes]);
      }

      await migrate(drizzle(client), { migrationsFolder: migrationsFolder() });
      const ledger = await openLedger(wrapPglite(client, "memory://"), vectors.ledgerId);
      const listed = await listBlockEntries(ledger, 1, { limit: 10 });
      assert.deepEqual(listed.entries.map((e) => e.entryHash), sorted);
      for (const entryHash of vectors.block1.entries) {
        const answer = await proofForEntry(ledger, entryHash);
        assert.equal(answer.status, "sealed");
        if (answer.status === "sealed") assert.deepEqual(answer.bundle.proof, vectors.block1.proofs[entryHash]);
      }
      const report = await auditLedger(ledger);
      assert.deepEqual(report.findings, []);
      assert.deepEqual(report.checked, { blocks: 1, entries: 5, pending: 0 });
    } finally {
      rmSync(old, { recursive: true, force: true });
      await client.close();
    }
  });
});

