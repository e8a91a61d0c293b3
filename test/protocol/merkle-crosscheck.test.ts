import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { bytesToHex, hashToBytes, type Hash } from "../../lib/protocol/hex";
import { buildBlockTree, proofFromTree } from "../../lib/protocol/merkle";
import { isValidProof } from "../../lib/protocol/proof";
import { proofFromTiles, tilesForProof, tilesOfTree } from "../../lib/protocol/tiles";

function randomEntries(n: number): Hash[] {
  return Array.from({ length: n }, () => bytesToHex(randomBytes(32)));
}

/** Sizes 1–2,000: the small edge cases, powers of two and their neighbours, and random ones. */
const sizes = [1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 63, 64, 65, 255, 256, 257, 1023, 1024, 1025, 2000];
for (let i = 0; i < 12; i++) sizes.push(1 + Math.floor(Math.random() * 2000));

describe("block trees against @openzeppelin/merkle-tree", () => {
  for (const size of sizes) {
    it(`gives the library's root and proofs for a random block of ${size} entries`, () => {
      const entries = randomEntries(size);
      const reference = StandardMerkleTree.of(entries.map((e) => [e]), ["bytes32"]);
      const tree = buildBlockTree(entries.map(hashToBytes));
      assert.equal(tree.root, reference.root);
      const sampled = new Set([0, size - 1, Math.floor(size / 2), Math.floor(Math.random() * size)]);
      for (const position of sampled) {
        const leafIndex = Array.from(tree.sortedEntryIndex).indexOf(position);
        const proof = proofFromTree(tree, leafIndex);
        assert.deepEqual(proof, reference.getProof([entries[position]]));
        assert.ok(StandardMerkleTree.verify(reference.root, ["bytes32"], [entries[position]], proof));
        // Proofs read from the stored tiles are the same proofs.
        const tiles = new Map(tilesOfTree(tree.nodes));
        assert.ok(tilesForProof(size, leafIndex).every((t) => tiles.has(t)));
        assert.deepEqual(proofFromTiles(size, leafIndex, tiles), proof);
      }
    });
  }

  it("rejects bit flips, truncations, extra siblings and a swapped root on a random block", () => {
    const entries = randomEntries(300);
    const tree = buildBlockTree(entries.map(hashToBytes));
    const other = buildBlockTree(randomEntries(300).map(hashToBytes));
    const leafIndex = 123;
    const entry = entries[tree.sortedEntryIndex[leafIndex]];
    const proof = proofFromTree(tree, leafIndex);
    assert.ok(isValidProof(tree.root, entry, proof));
    for (let i = 0; i < proof.length; i++) {
      const flipped = [...proof];
      const bytes = hashToBytes(flipped[i]);
      bytes[31] ^= 1;
      flipped[i] = bytesToHex(bytes);
      assert.equal(isValidProof(tree.root, entry, flipped), false, `bit flip in sibling ${i}`);
    }
    assert.equal(isValidProof(tree.root, entry, proof.slice(0, -1)), false, "truncated");
    assert.equal(isValidProof(tree.root, entry, [...proof, proof[0]]), false, "extra sibling");
    assert.equal(isValidProof(other.root, entry, proof), false, "swapped root");
    const entryBytes = hashToBytes(entry);
    entryBytes[0] ^= 0x80;
    assert.equal(isValidProof(tree.root, bytesToHex(entryBytes), proof), false, "altered entry");
  });
});
