import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { submitRecords } from "../../lib/ledger/ingest";
import { proofForEntry } from "../../lib/ledger/proofs";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { registerSigner } from "../../lib/ledger/signers";
import type { Hash } from "../../lib/protocol/hex";
import { verifyProof } from "../../lib/protocol/proof";
import { tilesForProof } from "../../lib/protocol/tiles";
import { drivers, freshDatabase, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";

/**
 * The proof query picks the tiles on a leaf's path inside PostgreSQL (one round trip). These tests
 * seal blocks whose trees end inside the first, second and third tile level, and check the proof
 * of every leaf against StandardMerkleTree's, so a wrong tile choice cannot pass unnoticed.
 */
const SIZES = [1, 2, 3, 31, 64, 65, 1_100];

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

    it("uses tiles from more than one level in the largest block", () => {
      // A 1,100-entry tree is 11 levels deep: its proofs cross the tile levels at depths 0, 5 and 10.
      const levels = new Set(tilesForProof(1_100, 0).map((tile) => 31 - Math.clz32(tile + 1)));
      assert.deepEqual([...levels].sort((a, b) => a - b), [0, 5, 10]);
    });
  });
}
