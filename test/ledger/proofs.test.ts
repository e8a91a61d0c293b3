import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { submitRecords } from "../../lib/ledger/ingest";
import { proofForEntry } from "../../lib/ledger/proofs";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { registerSigner } from "../../lib/ledger/signers/signers";
import type { Hash } from "../../lib/protocol/hex";
import { verifyProof } from "../../lib/protocol/proof";
import { tilesForProof } from "../../lib/protocol/tiles";
import { drivers, freshDatabase, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";

/**
 * The proof query picks the tiles on a leaf's path inside PostgreSQL (one round trip). These tests
 * seal blocks whose trees span one, two and three tile levels (tiles are cut from the bottom of the
 * tree, so the top tile is the short one), and check the proof
 * of every leaf against StandardMerkleTree's, so a wrong tile choice cannot pass unnoticed.
 */
const SIZES = [1, 2, 3, 31, 64, 65, 127, 128, 129, 1_100, 4_200];

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`proofs served from stored tiles on ${driver}`, { skip: skip ?? false }, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let ledger: LedgerContext;
    const blocks: Array<{ root: Hash; entries: Hash[] }> = [];

    before(async () => {
      db = await freshDatabase(driver);
      ledger = await openLedger(db, "proofs-test");
      const pair = await newKeyPair("EdDSA");
      await registerSigner(ledger, { publicJwk: pair.publicJwk, label: "proofs test", validFrom: new Date(Date.now() - 60_000) });
      let head = ledger.genesisRoot;
      for (const size of SIZES) {
        const entries: Hash[] = [];
        for (let from = 0; from < size; from += 500) {
          const jws = await Promise.all(Array.from({ length: Math.min(500, size - from) }, () => signedRecord(pair.privateJwk, head)));
          for (const result of await submitRecords(ledger, jws)) {
            assert.equal(result.ok, true, JSON.stringify(result));
            if (result.ok) entries.push(result.entryHash);
          }
        }
        const block = await sealPendingEntries(ledger);
        assert.ok(block);
        assert.equal(block.entryCount, size);
        blocks.push({ root: block.root, entries });
        head = block.root;
      }
    });
    after(async () => db?.dispose());

    for (const [i, size] of SIZES.entries()) {
      it(`serves StandardMerkleTree's proof for every leaf of a ${size.toLocaleString("en")}-entry block`, async () => {
        const { root, entries } = blocks[i];
        const reference = StandardMerkleTree.of(entries.map((h) => [h]), ["bytes32"]);
        assert.equal(reference.root, root);
        for (const [index, [entryHash]] of reference.entries()) {
          const answer = await proofForEntry(ledger, entryHash as Hash);
          assert.equal(answer.status, "sealed");
          if (answer.status !== "sealed") return;
          assert.deepEqual(answer.bundle.proof, reference.getProof(index), `leaf ${index} of ${size}`);
          verifyProof(answer.bundle.block.root, entryHash as Hash, answer.bundle.proof);
        }
      });
    }

    it("uses tiles from more than one level in the larger blocks", () => {
      // Tiles are rooted at depths D-6, D-12, … and 0 (D the deepest node's depth). A 1,100-entry
      // tree has D = 11: tiles at depths 0 and 5. A 4,200-entry tree has D = 13: depths 0, 1 and 7.
      const levelsOf = (size: number) => [...new Set(tilesForProof(size, 0).map((tile) => 31 - Math.clz32(tile + 1)))].sort((a, b) => a - b);
      assert.deepEqual(levelsOf(1_100), [0, 5]);
      assert.deepEqual(levelsOf(4_200), [0, 1, 7]);
      // A 1,000,000-entry block (D = 20): at most 4 tile rows per proof.
      assert.ok([0, 1, 499_999, 999_999].every((leaf) => tilesForProof(1_000_000, leaf).length <= 4));
    });
  });
}
