import { buildBlockTreePacked } from "../protocol/fast-tree";
import type { BlockTree } from "../protocol/merkle";

/**
 * The one place where the ledger builds block trees, from entry hashes packed 32 bytes apiece.
 * It uses the WASM builder (`lib/protocol/fast-tree.ts`), which is tested to give exactly
 * `StandardMerkleTree`'s root, node layout and leaf order. Swapping the implementation happens here.
 */
export function buildTreeFromPacked(packed: Uint8Array): BlockTree {
  return buildBlockTreePacked(packed);
}
