import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import * as exportRoute from "../../app/api/v1/export/route";
import { auditLedger } from "../../lib/ledger/audit";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { blocksWithoutDerivedData, completeDerivedData } from "../../lib/ledger/derived";
import { readHead } from "../../lib/ledger/head";
import { submitRecords } from "../../lib/ledger/ingest";
import { proofForEntry } from "../../lib/ledger/proofs";
import { getEntryStatus, listBlockEntries } from "../../lib/ledger/reads";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { registerSigner } from "../../lib/ledger/signers/signers";
import type { Hash } from "../../lib/protocol/hex";
import { api, useLedgerForRoutes } from "../support/api";
import { drivers, freshDatabase, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";

/**
 * The seal commits a block's header under the ledger lock and writes its leaf positions and tiles
 * after releasing it. These tests crash the seal in between (the `afterHeader` seam) and check
 * what readers see in that window, and that the next seal or start repairs the block first.
 */
for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`a seal that crashes between its header and its derived data, on ${driver}`, { skip: skip ?? false }, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let ledger: LedgerContext;
    let pair: Awaited<ReturnType<typeof newKeyPair>>;
    const submit = async (n: number): Promise<Hash[]> => {
      const head = await readHead(ledger.db, ledger.genesisRoot);
      const results = await submitRecords(ledger, await Promise.all(Array.from({ length: n }, () => signedRecord(pair.privateJwk, head.root))));
      return results.map((r) => (r.ok ? r.entryHash : assert.fail(JSON.stringify(r))));
    };
    const crash = { hooks: { afterHeader: () => Promise.reject(new Error("injected crash after the header")) } };
    let crashed: Hash[] = [];

    before(async () => {
      db = await freshDatabase(driver);
      ledger = await openLedger(db, "seal-crash-test");
      useLedgerForRoutes(db, ledger);
      pair = await newKeyPair("EdDSA");
      await registerSigner(ledger, { publicJwk: pair.publicJwk, label: "crash test", validFrom: new Date(Date.now() - 60_000) });
      assert.ok(await sealPendingEntries(ledger, {}) === null);
      await submit(40);
      assert.ok(await sealPendingEntries(ledger));
      crashed = await submit(150);
      await assert.rejects(sealPendingEntries(ledger, crash), /injected crash/);
    });
    after(async () => db?.dispose());

    it("commits the header, so the block is decided, but leaves no leaf rows or tiles of it", async () => {
      assert.equal((await readHead(ledger.db, ledger.genesisRoot)).height, 2);
      assert.deepEqual(await blocksWithoutDerivedData(ledger), [2]);
      const [{ leaves, tiles }] = await queryRows<{ leaves: number; tiles: number }>(
        ledger.db,
        sql`select (select count(*)::int from entry_leaves where block_height = 2) as leaves, (select count(*)::int from block_tree_tiles where height = 2) as tiles`,
      );
      assert.deepEqual({ leaves, tiles }, { leaves: 0, tiles: 0 });
    });

    it("answers a proof in the window with 503, Retry-After and problem+json, never a proof", async () => {
      assert.deepEqual(await proofForEntry(ledger, crashed[0]), { status: "deriving", entryHash: crashed[0], height: 2 });
      const response = await api.proof(crashed[0]);
      assert.equal(response.status, 503);
      assert.equal(response.headers.get("retry-after"), "2");
      assert.equal(response.headers.get("content-type"), "application/problem+json");
      const problem = (await response.json()) as { code: string; details: { height: number } };
      assert.equal(problem.code, "unavailable");
      assert.equal(problem.details.height, 2);
    });

    it("answers the block's entry list and its download with 503, shows its entries as pending, and leaves it out of the export", async () => {
      await assert.rejects(listBlockEntries(ledger, 2), (e: Error & { code?: string }) => e.code === "unavailable");
      assert.equal((await getEntryStatus(ledger, crashed[0]))?.status, "pending", "no leaf position is claimed before it is written");
      assert.equal((await api.entries(2)).status, 503);
      assert.equal((await api.entries(2, "?download=csv")).status, 503);
      assert.equal((await api.entries(1)).status, 200, "the complete block before it is served as usual");
      const exported = await (await exportRoute.GET(new Request("http://localhost/api/v1/export"))).text();
      const lines = exported.trim().split("\n").map((l) => JSON.parse(l) as { type: string; height?: number; to?: number });
      assert.equal(lines[0].to, 1);
      assert.ok(lines.every((l) => l.height !== 2));
      assert.equal((await exportRoute.GET(new Request("http://localhost/api/v1/export?from=2"))).status, 503);
    });

    it("is named by the audit as waiting for its derived data, with its entries and root checked, and no finding", async () => {
      const report = await auditLedger(ledger);
      assert.deepEqual(report.findings, []);
      assert.deepEqual(report.derivedPending, [2]);
      assert.deepEqual(report.checked, { blocks: 2, entries: 190, pending: 0 });
    });

    it("is repaired by the next seal before it seals anything else, and then serves the library's proofs", async () => {
      const later = await submit(30);
      const block = await sealPendingEntries(ledger);
      assert.equal(block?.height, 3);
      assert.deepEqual(await blocksWithoutDerivedData(ledger), []);
      const reference = StandardMerkleTree.of(crashed.map((h) => [h]), ["bytes32"]);
      for (const [index, [entryHash]] of reference.entries()) {
        const answer = await proofForEntry(ledger, entryHash as Hash);
        assert.equal(answer.status, "sealed");
        if (answer.status === "sealed") assert.deepEqual(answer.bundle.proof, reference.getProof(index));
      }
      assert.equal((await proofForEntry(ledger, later[0])).status, "sealed");
      assert.equal((await api.proof(crashed[1])).status, 200);
      const report = await auditLedger(ledger);
      assert.deepEqual(report.findings, []);
      assert.deepEqual(report.derivedPending, []);
    });

    it("is repaired at start (completeDerivedData) when no seal comes, and a second repair finds nothing to do", async () => {
      await submit(20);
      const block = await assert.rejects(sealPendingEntries(ledger, crash), /injected crash/).then(() => readHead(ledger.db, ledger.genesisRoot));
      assert.equal(block.height, 4);
      assert.equal((await api.proof((await listPendingOf(4))[0])).status, 503);
      // Two processes starting at once: each takes the block row's lock and checks again.
      const [a, b] = await Promise.all([completeDerivedData(ledger), completeDerivedData(ledger)]);
      assert.deepEqual([...a, ...b], [4]);
      assert.equal((await api.proof((await listPendingOf(4))[0])).status, 200);
      assert.deepEqual((await auditLedger(ledger)).findings, []);
    });

    /** The entry hashes naming block `height`'s prevRoot. */
    async function listPendingOf(height: number): Promise<Hash[]> {
      const rows = await queryRows<{ h: string }>(
        ledger.db,
        sql`select '0x' || encode(e.entry_hash, 'hex') as h from entries e join blocks b on b.prev_root = e.prev_root where b.height = ${height} order by e.seq`,
      );
      return rows.map((r) => r.h as Hash);
    }
  });
}
