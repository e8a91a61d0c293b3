/**
 * Inclusion proofs read straight from a packed nodes buffer (`BlockTree.nodes`, or the same bytes
 * as stored), without a `BlockTree` object or hex on the way: O(log n) reads of 32 bytes.
 */
import { bytesToHex, type Hash } from "./hex";
import { NODE_BYTES, proofNodeIndices } from "./merkle";

function checkNodes(nodes: Uint8Array, size: number): void {
  if (!Number.isInteger(size) || size < 1 || nodes.length !== (2 * size - 1) * NODE_BYTES) {
    throw new RangeError(
      `A tree of ${size} leaves has ${2 * size - 1} nodes (${(2 * size - 1) * NODE_BYTES} bytes), but the nodes buffer is ${nodes.length} bytes.`,
    );
  }
}

/**
 * The proof of leaf `leafIndex` (sorted order) as packed bytes: the siblings from the leaf up,
 * 32 bytes each, the same hashes as `proofFromTree`.
 * Throws a RangeError when `nodes` is not the size of a `size`-leaf tree or the leaf is outside it.
 */
export function proofBytesFromNodes(nodes: Uint8Array, size: number, leafIndex: number): Uint8Array {
  checkNodes(nodes, size);
  const indices = proofNodeIndices(size, leafIndex);
  const proof = new Uint8Array(indices.length * NODE_BYTES);
  indices.forEach((k, i) => proof.set(nodes.subarray(k * NODE_BYTES, (k + 1) * NODE_BYTES), i * NODE_BYTES));
  return proof;
}

/** Like `proofBytesFromNodes`, as hashes; equal to `proofFromTree` on the tree these nodes came from. */
export function proofFromNodes(nodes: Uint8Array, size: number, leafIndex: number): Hash[] {
  checkNodes(nodes, size);
  return proofNodeIndices(size, leafIndex).map((k) => bytesToHex(nodes.subarray(k * NODE_BYTES, (k + 1) * NODE_BYTES)));
}

/**
 * The inverse of `BlockTree.sortedEntryIndex`: `result[position]` is the sorted leaf index of the
 * entry at `position` in the block, the index its proof is asked for with.
 */
export function leafIndexByEntry(sortedEntryIndex: Uint32Array): Uint32Array {
  const leafIndex = new Uint32Array(sortedEntryIndex.length);
  for (let i = 0; i < sortedEntryIndex.length; i++) leafIndex[sortedEntryIndex[i]] = i;
  return leafIndex;
}
