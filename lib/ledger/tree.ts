import { buildBlockTree, type BlockTree } from "../protocol/merkle";

/**
 * The one place where the ledger builds block trees, from entry hashes packed 32 bytes apiece.
 * Swapping the tree implementation happens here and nowhere else.
 */
export function buildTreeFromPacked(packed: Uint8Array): BlockTree {
  const entryHashes: Uint8Array[] = [];
  for (let offset = 0; offset < packed.length; offset += 32) entryHashes.push(packed.subarray(offset, offset + 32));
  return buildBlockTree(entryHashes);
}
