import { hashPairBytes, leafBytesOf } from "./hash";
import { bytesToHex, compareBytes, type Hash } from "./hex";

/**
 * A block's Merkle tree in OpenZeppelin StandardMerkleTree layout (PROTOCOL §3): `2n-1` nodes of
 * 32 bytes in one buffer; leaf `i` in sorted order sits at node `2n-2-i`; node `k`'s children are
 * `2k+1` and `2k+2`; the root is node 0.
 */
export interface BlockTree {
  /** Number of leaves (entries); at least 1. */
  readonly size: number;
  readonly root: Hash;
  /** All `2n-1` nodes, 32 bytes each, node `k` at byte offset `32k`. */
  readonly nodes: Uint8Array;
  /** `sortedEntryIndex[i]` is the position, in the input list, of the entry whose leaf is `i`-th in sorted order. */
  readonly sortedEntryIndex: Uint32Array;
}

/** Something that builds a block tree from entry hashes (32 bytes each); see `buildBlockTree`. */
export type BlockTreeBuilder = (entryHashes: readonly Uint8Array[]) => BlockTree;

/** Byte length of one tree node. */
export const NODE_BYTES = 32;

/**
 * Builds the block tree over `entryHashes` exactly as `StandardMerkleTree.of(entries, ["bytes32"])`.
 * Requires at least one entry, each 32 bytes, and no duplicates (the ledger guarantees both).
 * Throws a RangeError otherwise.
 */
export function buildBlockTree(entryHashes: readonly Uint8Array[]): BlockTree {
  const n = entryHashes.length;
  if (n === 0) throw new RangeError("A block tree needs at least one entry: a block is never empty.");
  const leaves = entryHashes.map((entryHash, position) => {
    if (entryHash.length !== 32) {
      throw new RangeError(`Entry ${position} is ${entryHash.length} bytes; entry hashes are 32 bytes.`);
    }
    return { leaf: leafBytesOf(entryHash), position };
  });
  leaves.sort((a, b) => compareBytes(a.leaf, b.leaf));

  const nodeCount = 2 * n - 1;
  const nodes = new Uint8Array(nodeCount * NODE_BYTES);
  const sortedEntryIndex = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    nodes.set(leaves[i].leaf, (nodeCount - 1 - i) * NODE_BYTES);
    sortedEntryIndex[i] = leaves[i].position;
  }
  for (let k = nodeCount - 1 - n; k >= 0; k--) {
    const left = nodes.subarray((2 * k + 1) * NODE_BYTES, (2 * k + 2) * NODE_BYTES);
    const right = nodes.subarray((2 * k + 2) * NODE_BYTES, (2 * k + 3) * NODE_BYTES);
    nodes.set(hashPairBytes(left, right), k * NODE_BYTES);
  }
  return { size: n, root: bytesToHex(nodes.subarray(0, NODE_BYTES)), nodes, sortedEntryIndex };
}

/** The tree-array index of the `leafIndex`-th leaf (sorted order) in a tree of `size` leaves. */
export function leafNodeIndex(size: number, leafIndex: number): number {
  if (!Number.isInteger(leafIndex) || leafIndex < 0 || leafIndex >= size) {
    throw new RangeError(`Leaf index ${leafIndex} is outside a tree of ${size} leaves.`);
  }
  return 2 * size - 2 - leafIndex;
}

/**
 * The tree-array indices of the siblings that make up the proof of leaf `leafIndex`, from the leaf up.
 * These are the only nodes a proof needs, so storage can fetch exactly them (O(log n)).
 */
export function proofNodeIndices(size: number, leafIndex: number): number[] {
  const indices: number[] = [];
  for (let k = leafNodeIndex(size, leafIndex); k > 0; k = (k - 1) >> 1) {
    indices.push(k % 2 === 1 ? k + 1 : k - 1);
  }
  return indices;
}

/** The inclusion proof of leaf `leafIndex` (sorted order) read from a built tree. */
export function proofFromTree(tree: BlockTree, leafIndex: number): Hash[] {
  return proofNodeIndices(tree.size, leafIndex).map((k) =>
    bytesToHex(tree.nodes.subarray(k * NODE_BYTES, (k + 1) * NODE_BYTES)),
  );
}
