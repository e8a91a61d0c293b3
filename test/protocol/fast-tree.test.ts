import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { buildBlockTreeFast, buildBlockTreeFromLeaves, buildBlockTreePacked, leavesOfPacked, type TreeHashing } from "../../lib/protocol/fast-tree";
import { hashPairBytes } from "../../lib/protocol/hash";
import { bytesToHex, hashToBytes } from "../../lib/protocol/hex";
import { createKeccakKernel, type KeccakKernelVariant } from "../../lib/protocol/keccak-kernel";
import { KERNEL_HEADER_BYTES } from "../../lib/protocol/keccak-wasm";
import { sortLeafOrder } from "../../lib/protocol/leaf-sort";
import { buildBlockTree, proofFromTree, type BlockTree } from "../../lib/protocol/merkle";
import { leafIndexByEntry, proofBytesFromNodes, proofFromNodes } from "../../lib/protocol/packed-proof";
import { vectors } from "../support/vectors";

/** mulberry32: a small seeded PRNG, so a failing size can be reproduced. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(random: () => number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(random() * 256);
  return out;
}

const randomEntries = (random: () => number, n: number) => Array.from({ length: n }, () => randomBytes(random, 32));
const pack = (entries: readonly Uint8Array[]) => {
  const packed = new Uint8Array(32 * entries.length);
  entries.forEach((e, i) => packed.set(e, 32 * i));
  return packed;
};

function assertSameTree(actual: BlockTree, expected: BlockTree, label: string): void {
  assert.equal(actual.size, expected.size, `${label}: size`);
  assert.equal(actual.root, expected.root, `${label}: root`);
  assert.ok(Buffer.from(actual.nodes).equals(Buffer.from(expected.nodes)), `${label}: nodes differ`);
  assert.deepEqual(Array.from(actual.sortedEntryIndex), Array.from(expected.sortedEntryIndex), `${label}: sortedEntryIndex`);
}

/**
 * 1, 2, 3, powers of two and their neighbours up to 4,096, 4,999 and 5,000, then random sizes up to
 * 5,000, skewed towards small ones (5000^(u²)) so the library, ~0.15 ms a leaf, keeps the file under ~30 s.
 */
const SEED = 20261122;
const sizes = [1, 2, 3, 4999, 5000];
for (let p = 2; p <= 12; p++) sizes.push(2 ** p - 1, 2 ** p, 2 ** p + 1);
{
  const random = seededRandom(SEED);
  while (sizes.length < 200) sizes.push(Math.min(5000, Math.floor(Math.exp(random() ** 2 * Math.log(5000))) + 1));
}

describe(`the fast block tree against @openzeppelin/merkle-tree (seed ${SEED}, ${sizes.length} sizes)`, () => {
  sizes.forEach((size, i) => {
    it(`gives the library's root and proofs, and buildBlockTree's nodes and order, for ${size} random entries`, () => {
      const random = seededRandom(SEED + i);
      const entries = randomEntries(random, size);
      const tree = buildBlockTreePacked(pack(entries));
      assertSameTree(tree, buildBlockTree(entries), `size ${size}`);

      const hexEntries = entries.map(bytesToHex);
      const library = StandardMerkleTree.of(hexEntries.map((e) => [e]), ["bytes32"]);
      assert.equal(tree.root, library.root);
      const leafIndex = leafIndexByEntry(tree.sortedEntryIndex);
      for (const position of new Set([0, size - 1, Math.floor(random() * size)])) {
        assert.deepEqual(proofFromTree(tree, leafIndex[position]), library.getProof(position), `proof of entry ${position}`);
      }
    });
  });
});

describe("the fast block tree on the protocol vectors", () => {
  it("reproduces the root and every proof of each tree in the vectors", () => {
    for (const vector of vectors.trees) {
      const tree = buildBlockTreeFast(vector.entries.map(hashToBytes));
      assert.equal(tree.root, vector.root, `tree of ${vector.size}`);
      const leafIndex = leafIndexByEntry(tree.sortedEntryIndex);
      vector.entries.forEach((entry, position) => {
        assert.deepEqual(proofFromTree(tree, leafIndex[position]), vector.proofs[entry], `tree of ${vector.size}, entry ${entry}`);
      });
    }
  });

  it("reproduces block 1's root and proofs", () => {
    const { entries, root, proofs } = vectors.block1;
    const tree = buildBlockTreePacked(pack(entries.map(hashToBytes)));
    assert.equal(tree.root, root);
    const leafIndex = leafIndexByEntry(tree.sortedEntryIndex);
    entries.forEach((entry, position) => assert.deepEqual(proofFromTree(tree, leafIndex[position]), proofs[entry]));
  });
});

describe("the fast block tree's inputs and hashing paths", () => {
  it("builds the same tree from packed bytes as from one array per entry, and leaves the input untouched", () => {
    const random = seededRandom(7);
    for (const size of [1, 2, 5, 64, 1000]) {
      const entries = randomEntries(random, size);
      const packed = pack(entries);
      const before = packed.slice();
      assertSameTree(buildBlockTreePacked(packed), buildBlockTreeFast(entries), `size ${size}`);
      assert.deepEqual(packed, before);
      // A packed view into a larger buffer (as a database driver may hand over) works the same.
      const framed = new Uint8Array(packed.length + 64);
      framed.set(packed, 32);
      assertSameTree(buildBlockTreePacked(framed.subarray(32, 32 + packed.length)), buildBlockTreeFast(entries), `size ${size}, view`);
    }
  });

  it("gives the same tree with SIMD WASM, scalar WASM and plain JS hashing", () => {
    const random = seededRandom(11);
    for (const size of [1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 17, 100, 513]) {
      const entries = randomEntries(random, size);
      const expected = buildBlockTree(entries);
      for (const hashing of ["auto", "wasm-simd", "wasm-scalar", "js"] satisfies TreeHashing[]) {
        assertSameTree(buildBlockTreeFast(entries, hashing), expected, `size ${size}, ${hashing}`);
      }
    }
  });

  it("orders duplicate entry hashes as buildBlockTree does", () => {
    const random = seededRandom(13);
    const distinct = randomEntries(random, 5);
    const entries = [distinct[0], distinct[1], distinct[0], distinct[2], distinct[0], distinct[3], distinct[1], distinct[4]];
    assertSameTree(buildBlockTreeFast(entries), buildBlockTree(entries), "duplicates");
    assertSameTree(buildBlockTreeFast([distinct[0], distinct[0]]), buildBlockTree([distinct[0], distinct[0]]), "a pair of equals");
  });

  it("rejects an empty block, an entry hash that is not 32 bytes and packed bytes that are not whole hashes", () => {
    assert.throws(() => buildBlockTreeFast([]), /at least one entry/);
    assert.throws(() => buildBlockTreePacked(new Uint8Array(0)), /at least one entry/);
    assert.throws(() => buildBlockTreeFast([new Uint8Array(32), new Uint8Array(31)]), /Entry 1 is 31 bytes/);
    assert.throws(() => buildBlockTreePacked(new Uint8Array(65)), /65 bytes, not a multiple of 32/);
  });
});

describe("the leaf sort", () => {
  const referenceOrder = (leaves: Uint8Array[]) =>
    leaves
      .map((leaf, position) => ({ leaf, position }))
      .sort((a, b) => Buffer.compare(a.leaf, b.leaf) || a.position - b.position)
      .map((x) => x.position);

  it("orders leaves that share their first four bytes by the rest, and equal leaves by position", () => {
    const random = seededRandom(17);
    const leaves: Uint8Array[] = [];
    for (let i = 0; i < 3000; i++) {
      const leaf = randomBytes(random, 32);
      if (i % 3 === 0) leaf.set([0xab, 0xcd, 0xef, 0x01]); // a long run sharing the radix key
      if (i % 7 === 0) leaf.fill(0, 4, 31); // differing only in the last byte
      if (i % 11 === 0) leaf.set(leaves[i - 1] ?? leaf); // an exact duplicate of the previous leaf
      leaves.push(leaf);
    }
    const bytes = new Uint8Array(40 + 32 * leaves.length);
    leaves.forEach((leaf, i) => bytes.set(leaf, 40 + 32 * i));
    assert.deepEqual(Array.from(sortLeafOrder(bytes, 40, leaves.length)), referenceOrder(leaves));
  });

  it("sorts leaves that are all equal into position order", () => {
    const bytes = new Uint8Array(32 * 50).fill(0x5a);
    assert.deepEqual(Array.from(sortLeafOrder(bytes, 0, 50)), Array.from({ length: 50 }, (_, i) => i));
  });
});

describe("the hand-written Keccak kernel against @noble/hashes", () => {
  /** Inputs of `length` bytes: zeros, ones, each single bit set, each single bit clear, counting bytes, then random ones. */
  function inputs(length: number, randomCount: number): Uint8Array[] {
    const out: Uint8Array[] = [new Uint8Array(length), new Uint8Array(length).fill(0xff), Uint8Array.from({ length }, (_, i) => i)];
    for (let bit = 0; bit < 8 * length; bit++) {
      const one = new Uint8Array(length);
      one[bit >> 3] = 1 << (bit & 7);
      out.push(one, one.map((b) => b ^ 0xff));
    }
    const random = seededRandom(length);
    for (let i = 0; i < randomCount; i++) out.push(randomBytes(random, length));
    return out;
  }

  const H = KERNEL_HEADER_BYTES;
  const kernelFor = (variant: KeccakKernelVariant) => {
    const kernel = createKeccakKernel(1 << 16, variant);
    assert.ok(kernel, `this engine should run the ${variant} kernel`);
    return kernel;
  };
  const read = (bytes: Uint8Array, at: number) => bytes.slice(at, at + 32);

  for (const variant of ["simd", "scalar"] satisfies KeccakKernelVariant[]) {
    it(`hashes 32-byte inputs like keccak_256: edge values and 1,000 random (${variant} kernel)`, () => {
      const { bytes, exports } = kernelFor(variant);
      for (const input of inputs(32, 1000)) {
        bytes.set(input, H);
        exports.keccak32(H, H + 32);
        assert.deepEqual(read(bytes, H + 32), keccak_256(input), bytesToHex(input));
      }
    });

    it(`hashes 64-byte inputs like keccak_256: edge values and 1,000 random (${variant} kernel)`, () => {
      const { bytes, exports } = kernelFor(variant);
      for (const input of inputs(64, 1000)) {
        bytes.set(input.subarray(0, 32), H);
        bytes.set(input.subarray(32), H + 96); // halves need not be adjacent
        exports.keccakPair(H, H + 96, H + 32);
        assert.deepEqual(read(bytes, H + 32), keccak_256(input), bytesToHex(input));
      }
    });

    it(`turns 1 to 66 entry hashes (every remainder of a group of three) into keccak256(keccak256(e)) in place (${variant} kernel)`, () => {
      const { bytes, exports } = kernelFor(variant);
      const random = seededRandom(23);
      for (const count of [1, 2, 3, 4, 5, 6, 7, 64, 65, 66]) {
        const entries = randomEntries(random, count);
        entries.forEach((e, i) => bytes.set(e, H + 32 * i));
        exports.leaves(H, count);
        entries.forEach((e, i) => assert.deepEqual(read(bytes, H + 32 * i), keccak_256(keccak_256(e)), `leaf ${i} of ${count}`));
      }
    });

    it(`hashes inner nodes as sorted pairs, with equal children and children differing only in the last byte (${variant} kernel)`, () => {
      const { bytes, exports } = kernelFor(variant);
      const random = seededRandom(29);
      const size = 40;
      const nodes = Array.from({ length: 2 * size - 1 }, () => randomBytes(random, 32));
      nodes[60] = nodes[59].slice(); // equal children of node 29
      nodes[58] = nodes[57].slice();
      nodes[58][31] ^= 1; // children of node 28 differ in the last byte only
      nodes.forEach((node, k) => bytes.set(node, H + 32 * k));
      // Two calls over a split range, as a caller hashing level by level would make.
      exports.innerNodes(H, size - 2, 20);
      exports.innerNodes(H, 19, 0);
      for (let k = size - 2; k >= 0; k--) nodes[k] = hashPairBytes(nodes[2 * k + 1], nodes[2 * k + 2]);
      nodes.forEach((node, k) => assert.deepEqual(read(bytes, H + 32 * k), node, `node ${k}`));
    });
  }

  it("hashes three unrelated inputs at once like keccak_256 (the SIMD kernel's three-at-a-time functions)", () => {
    const { bytes, exports } = kernelFor("simd");
    const groups = [inputs(64, 200), inputs(64, 200).reverse(), inputs(64, 200).map((input) => input.map((b) => b ^ 0x3c))];
    for (let i = 0; i < groups[0].length; i++) {
      const messages = groups.map((group) => group[i]);
      messages.forEach((m, h) => bytes.set(m, H + 64 * h)); // message h at H + 64h; digests from H + 256
      exports.keccak32x3!(H, H + 256, H + 64, H + 288, H + 128, H + 320);
      messages.forEach((m, h) => assert.deepEqual(read(bytes, H + 256 + 32 * h), keccak_256(m.subarray(0, 32)), `32-byte message ${h}`));
      exports.keccakPairx3!(H, H + 32, H + 256, H + 64, H + 96, H + 288, H + 128, H + 160, H + 320);
      messages.forEach((m, h) => assert.deepEqual(read(bytes, H + 256 + 32 * h), keccak_256(m), `64-byte message ${h}`));
    }
  });
});

describe("proofs from a packed nodes buffer", () => {
  it("reads the same proofs as proofFromTree, as hashes and as packed bytes", () => {
    const random = seededRandom(31);
    for (const size of [1, 2, 3, 10, 33]) {
      const tree = buildBlockTreeFast(randomEntries(random, size));
      const nodes = tree.nodes.slice(); // as if read back from storage
      for (let leaf = 0; leaf < size; leaf++) {
        const expected = proofFromTree(tree, leaf);
        assert.deepEqual(proofFromNodes(nodes, size, leaf), expected);
        const packed = proofBytesFromNodes(nodes, size, leaf);
        assert.deepEqual(Array.from({ length: packed.length / 32 }, (_, i) => bytesToHex(packed.subarray(32 * i, 32 * i + 32))), expected);
      }
    }
  });

  it("maps each entry's position to its sorted leaf index", () => {
    const tree = buildBlockTreeFast(randomEntries(seededRandom(37), 100));
    const leafIndex = leafIndexByEntry(tree.sortedEntryIndex);
    for (let i = 0; i < 100; i++) assert.equal(leafIndex[tree.sortedEntryIndex[i]], i);
  });

  it("rejects a nodes buffer that is not the size of the tree and a leaf outside it", () => {
    const tree = buildBlockTreeFast(randomEntries(seededRandom(41), 4));
    assert.throws(() => proofFromNodes(tree.nodes.subarray(32), 4, 0), /tree of 4 leaves has 7 nodes/);
    assert.throws(() => proofBytesFromNodes(tree.nodes, 5, 0), /tree of 5 leaves/);
    assert.throws(() => proofFromNodes(tree.nodes, 4, 4), /outside a tree of 4 leaves/);
  });
});

describe("building a tree from leaves computed ahead", () => {
  for (const hashing of ["auto", "js"] as const) {
    it(`gives the same tree as the whole build when the leaves of the first entries come ready (${hashing})`, () => {
      for (const [ready, more] of [[1, 0], [0, 3], [5, 1], [64, 0], [100, 37], [1000, 1]]) {
        const packed = new Uint8Array(Array.from({ length: 32 * (ready + more) }, () => Math.floor(Math.random() * 256)));
        const whole = buildBlockTreePacked(packed, hashing);
        const split = buildBlockTreeFromLeaves(leavesOfPacked(packed.subarray(0, 32 * ready), hashing), packed.subarray(32 * ready), hashing);
        assert.equal(split.root, whole.root, `${ready} ready + ${more}`);
        assert.deepEqual(split.nodes, whole.nodes);
        assert.deepEqual([...split.sortedEntryIndex], [...whole.sortedEntryIndex]);
      }
    });
  }
});
