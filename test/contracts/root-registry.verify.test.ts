import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { network } from "hardhat";
import type { Hash } from "viem";
import { hashToBytes } from "../../lib/protocol/hex";
import { buildBlockTree, proofFromTree } from "../../lib/protocol/merkle";
import { isValidProof } from "../../lib/protocol/proof";
import { deployRegistry, registryAt } from "./fixture";
import { deterministicHashes, vectors } from "./vectors";

const { viem, networkHelpers } = await network.create();
const { genesisRoot } = vectors;
const fresh = () => networkHelpers.loadFixture(deployRegistryFixture);
async function deployRegistryFixture() {
  return deployRegistry(viem);
}

type Fixture = Awaited<ReturnType<typeof deployRegistryFixture>>;

/** A block as the three implementations see it: its root and, by entry hash, the proof of each entry. */
interface CheckedBlock {
  root: Hash;
  proofs: Map<Hash, Hash[]>;
}

/**
 * Builds the tree of `entries` with the repo's core (`buildBlockTree`) and with OpenZeppelin's
 * StandardMerkleTree, asserts both give the same root and the same proof for every entry, and returns them.
 */
function buildAndCrossCheck(entries: readonly Hash[]): CheckedBlock {
  const ours = buildBlockTree(entries.map(hashToBytes));
  const theirs = StandardMerkleTree.of(entries.map((e) => [e]), ["bytes32"]);
  assert.equal(ours.root, theirs.root, `roots of a ${entries.length}-entry block`);
  const proofs = new Map<Hash, Hash[]>();
  for (let leafIndex = 0; leafIndex < ours.size; leafIndex++) {
    const entry = entries[ours.sortedEntryIndex[leafIndex]];
    const proof = proofFromTree(ours, leafIndex);
    assert.deepEqual(proof, theirs.getProof([entry]), `proof of ${entry}`);
    proofs.set(entry, proof);
  }
  return { root: ours.root, proofs };
}

/** Anchors `roots` in one batch on top of whatever is anchored and returns the height of the first. */
async function anchorRoots({ registry, asAnchorer }: Fixture, roots: readonly Hash[]): Promise<bigint> {
  const latest = await registry.read.latestHeight();
  const prevRoot = await registry.read.rootOf([latest]);
  await asAnchorer.write.anchorBatch([latest + 1n, prevRoot, [...roots], roots.map(() => 1)]);
  return latest + 1n;
}

async function verifyOnChain({ registry }: Fixture, height: bigint, entryHash: Hash, proof: readonly Hash[]) {
  return registry.read.verifyEntry([height, entryHash, [...proof]]);
}

/** `hash` with bit `bit` (0 = lowest bit of the last byte) flipped. */
function flipBit(hash: Hash, bit: number): Hash {
  const bytes = hashToBytes(hash);
  bytes[31 - (bit >> 3)] ^= 1 << (bit & 7);
  return `0x${Buffer.from(bytes).toString("hex")}`;
}

describe("RootRegistry.verifyEntry", () => {
  it("verifies every entry of the vectors' block 1 with the vectors' proofs", async () => {
    const fixture = await fresh();
    const { block1 } = vectors;
    const built = buildAndCrossCheck(block1.entries);
    assert.equal(built.root, block1.root);
    await fixture.asAnchorer.write.anchor([1n, block1.root, genesisRoot, block1.entryCount]);
    for (const entry of block1.entries) {
      assert.deepEqual(built.proofs.get(entry), block1.proofs[entry]);
      assert.equal(await verifyOnChain(fixture, 1n, entry, block1.proofs[entry]), true, entry);
    }
  });

  it("verifies every entry of every vector tree, from 1 to 33 entries", async () => {
    const fixture = await fresh();
    for (const tree of vectors.trees) {
      const built = buildAndCrossCheck(tree.entries);
      assert.equal(built.root, tree.root, `root of the ${tree.size}-entry vector tree`);
      const height = await anchorRoots(fixture, [tree.root]);
      for (const entry of tree.entries) {
        assert.deepEqual(built.proofs.get(entry), tree.proofs[entry]);
        assert.equal(await verifyOnChain(fixture, height, entry, tree.proofs[entry]), true, `${tree.size}: ${entry}`);
      }
    }
  });

  it("agrees with trees built in TypeScript on random blocks of up to 300 entries", async () => {
    const fixture = await fresh();
    const sizes = [1, 2, 3, 16, 17, 100, 255, 300];
    const blocks = sizes.map((size) => buildAndCrossCheck(deterministicHashes(`random-block/${size}`, size)));
    const first = await anchorRoots(fixture, blocks.map((b) => b.root));
    for (const [i, block] of blocks.entries()) {
      for (const [entry, proof] of block.proofs) {
        assert.equal(await verifyOnChain(fixture, first + BigInt(i), entry, proof), true, `${sizes[i]}: ${entry}`);
      }
    }
  });

  it("rejects every probe of proofsThatMustFail in the vectors", async () => {
    const fixture = await fresh();
    const probes = vectors.proofsThatMustFail;
    const first = await anchorRoots(fixture, probes.map((p) => p.root));
    for (const [i, probe] of probes.entries()) {
      assert.equal(probe.verifies, false);
      assert.equal(isValidProof(probe.root, probe.entryHash, probe.proof), false, `TS core: ${probe.desc}`);
      assert.equal(await verifyOnChain(fixture, first + BigInt(i), probe.entryHash, probe.proof), false, probe.desc);
    }
  });

  it("rejects bit flips, truncated proofs, extra siblings and swapped entries", async () => {
    const fixture = await fresh();
    const entries = deterministicHashes("tamper", 13);
    const block = buildAndCrossCheck(entries);
    const height = await anchorRoots(fixture, [block.root]);
    const [stranger] = deterministicHashes("tamper/stranger", 1);
    for (const [entry, proof] of block.proofs) {
      const rejects = async (e: Hash, p: readonly Hash[], what: string) =>
        assert.equal(await verifyOnChain(fixture, height, e, p), false, `${what} of ${entry}`);
      for (const bit of [0, 77, 255]) {
        await rejects(flipBit(entry, bit), proof, `entry hash bit ${bit} flipped`);
        for (let s = 0; s < proof.length; s++) {
          await rejects(entry, proof.with(s, flipBit(proof[s], bit)), `sibling ${s} bit ${bit} flipped`);
        }
      }
      await rejects(entry, proof.slice(0, -1), "last sibling dropped");
      await rejects(entry, proof.slice(1), "first sibling dropped");
      await rejects(entry, [...proof, stranger], "extra sibling appended");
      await rejects(entry, [...proof, block.root], "root appended as a sibling");
      await rejects(stranger, proof, "proof used for an entry not in the block");
    }
  });

  it("rejects a proof checked against the wrong height, height 0 or a height not anchored yet", async () => {
    const fixture = await fresh();
    const a = buildAndCrossCheck(deterministicHashes("height/a", 8));
    const b = buildAndCrossCheck(deterministicHashes("height/b", 8));
    const first = await anchorRoots(fixture, [a.root, b.root]);
    for (const [entry, proof] of a.proofs) {
      assert.equal(await verifyOnChain(fixture, first, entry, proof), true);
      assert.equal(await verifyOnChain(fixture, first + 1n, entry, proof), false, "the next block");
      assert.equal(await verifyOnChain(fixture, first + 2n, entry, proof), false, "a height not anchored");
      assert.equal(await verifyOnChain(fixture, 0n, entry, proof), false, "height 0");
    }
  });

  it("answers false at height 0 even when the genesis root happens to be a tree root", async () => {
    const fixture = await fresh();
    const [entry] = deterministicHashes("genesis-as-tree", 1);
    const oneEntryRoot = buildAndCrossCheck([entry]).root;
    const [admin, receiptSigner, anchorer] = await viem.getWalletClients();
    const { address } = await viem.deployContract("RootRegistry", [
      oneEntryRoot,
      admin.account.address,
      anchorer.account.address,
      receiptSigner.account.address,
    ]);
    const registry = registryAt(address, fixture.publicClient, anchorer);
    assert.equal(await registry.read.verifyEntry([0n, entry, []]), false, "genesis is not a block");
    await registry.write.anchor([1n, oneEntryRoot, oneEntryRoot, 1]);
    assert.equal(await registry.read.verifyEntry([1n, entry, []]), true, "the same root as block 1");
  });
});
