import { buildBlockTreeFromLeaves, buildBlockTreePacked, leavesOfPacked } from "../protocol/fast-tree";
import type { BlockTree } from "../protocol/merkle";

/**
 * The one place where the ledger builds block trees, from entry hashes packed 32 bytes apiece.
 * It uses the WASM builder (`lib/protocol/fast-tree.ts`), which is tested to give exactly
 * `StandardMerkleTree`'s root, node layout and leaf order. Swapping the implementation happens here.
 */
export function buildTreeFromPacked(packed: Uint8Array): BlockTree {
  return buildBlockTreePacked(packed);
}

/** The leaves of packed entry hashes, computed ahead of `buildTreeFromLeaves` (e.g. before the seal takes its lock). */
export function leavesFromPacked(packed: Uint8Array): Uint8Array {
  return leavesOfPacked(packed);
}

/** The tree over `concat(entries, more)` given `leavesFromPacked(entries)`: only `more` is hashed into leaves here. */
export function buildTreeFromLeaves(leaves: Uint8Array, more: Uint8Array): BlockTree {
  return buildBlockTreeFromLeaves(leaves, more);
}
