import { bytesToHex, type Hash } from "./hex";
import { NODE_BYTES, proofNodeIndices } from "./merkle";

/**
 * Tree tiles: how a block's tree is stored so that a proof reads O(log n / TILE_LEVELS) small rows.
 *
 * The OpenZeppelin tree array is a complete binary tree in heap order (node k has children 2k+1
 * and 2k+2), so it can be cut into subtrees. A tile is rooted at a node whose depth is a multiple
 * of TILE_LEVELS and holds that node's descendants down TILE_LEVELS levels (not the root itself,
 * which lives in the tile above, or is the block root). A tile is a fixed array of
 * 2 + 4 + … + 2^TILE_LEVELS slots of 32 bytes; slots past the end of the tree are zero.
 * Every sibling on a proof path lies in a tile on that path, so a proof of a 1M-entry block
 * (depth 21) reads 4 tiles of 1,984 bytes.
 */
export const TILE_LEVELS = 5;

/** Slots in one tile: 2^1 + … + 2^TILE_LEVELS. */
export const TILE_SLOTS = (1 << (TILE_LEVELS + 1)) - 2;

/** Depth of node `k` in the heap-ordered tree; the root has depth 0. */
export function nodeDepth(k: number): number {
  return 31 - Math.clz32(k + 1);
}

/** The tile (named by its root node) that stores node `k`. Requires k >= 1: the root is not in a tile. */
export function tileOf(k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`Node ${k} is not stored in a tile (the root never is).`);
  const depth = nodeDepth(k);
  const tileDepth = TILE_LEVELS * Math.floor((depth - 1) / TILE_LEVELS);
  return ((k + 1) >> (depth - tileDepth)) - 1;
}

/** Slot of node `k` inside tile `tile` (which must be the tile of k). */
export function slotInTile(k: number, tile: number): number {
  const level = nodeDepth(k) - nodeDepth(tile);
  return (1 << level) - 2 + (k + 1 - ((tile + 1) << level));
}

/** The tiles a proof of leaf `leafIndex` needs, in no particular order and without repeats. */
export function tilesForProof(size: number, leafIndex: number): number[] {
  return [...new Set(proofNodeIndices(size, leafIndex).map(tileOf))];
}

/**
 * Cuts a tree's node array into tiles. Yields `[tile, bytes]` for every tile that holds at least
 * one node, in increasing tile order; `bytes` is a fresh TILE_SLOTS*32 buffer.
 */
export function* tilesOfTree(nodes: Uint8Array): Generator<[tile: number, bytes: Uint8Array]> {
  const nodeCount = nodes.length / NODE_BYTES;
  for (let depth = 0; ; depth += TILE_LEVELS) {
    const first = (1 << depth) - 1;
    if (2 * first + 1 >= nodeCount) return;
    const last = Math.min((1 << (depth + 1)) - 2, nodeCount - 1);
    for (let tile = first; tile <= last && 2 * tile + 1 < nodeCount; tile++) {
      const bytes = new Uint8Array(TILE_SLOTS * NODE_BYTES);
      for (let level = 1; level <= TILE_LEVELS; level++) {
        const start = ((tile + 1) << level) - 1;
        if (start >= nodeCount) break;
        const end = Math.min(start + (1 << level), nodeCount);
        bytes.set(nodes.subarray(start * NODE_BYTES, end * NODE_BYTES), ((1 << level) - 2) * NODE_BYTES);
      }
      yield [tile, bytes];
    }
  }
}

/**
 * Reads the inclusion proof of leaf `leafIndex` from stored tiles.
 * Throws an Error naming the tile when `tiles` lacks one the proof needs.
 */
export function proofFromTiles(size: number, leafIndex: number, tiles: ReadonlyMap<number, Uint8Array>): Hash[] {
  return proofNodeIndices(size, leafIndex).map((k) => {
    const tile = tileOf(k);
    const bytes = tiles.get(tile);
    if (!bytes) throw new Error(`Tile ${tile} is missing: it holds node ${k} of the proof.`);
    const offset = slotInTile(k, tile) * NODE_BYTES;
    return bytesToHex(bytes.subarray(offset, offset + NODE_BYTES));
  });
}
