import { bytesToHex, type Hash } from "./hex";
import { NODE_BYTES, proofNodeIndices } from "./merkle";

/**
 * Tree tiles: how a block's tree is stored so that a proof reads a few rows, and the store holds
 * little more than the tree's 2n-1 nodes of 32 bytes.
 *
 * The OpenZeppelin tree array is a complete binary tree in heap order (node k has children 2k+1
 * and 2k+2). A tile is rooted at a node and holds its descendants down TILE_LEVELS levels (not
 * the root itself, which lives in the tile above, or is the block root). Tile boundaries are
 * counted from the bottom of the tree: tiles are rooted at depths D - TILE_LEVELS, D - 2·TILE_LEVELS,
 * … (D the depth of the deepest node) and at the root, so the bottom tiles are full and only the
 * top tile is short. A tile stores only the nodes that exist, level by level (each level's nodes
 * are a prefix of its span in heap order), so a tile row is dense: no empty slots.
 *
 * Every sibling on a proof path lies in a tile on that path: a proof of a 1,000,000-entry block
 * (D = 20) reads 4 tiles of at most 126 nodes (4,032 bytes, two to a PostgreSQL page).
 */
export const TILE_LEVELS = 6;

/** Nodes in a full tile: 2^1 + … + 2^TILE_LEVELS. */
export const TILE_SLOTS = (1 << (TILE_LEVELS + 1)) - 2;

/** Depth of node `k` in the heap-ordered tree; the root has depth 0. */
export function nodeDepth(k: number): number {
  return 31 - Math.clz32(k + 1);
}

/** Depth of the deepest node of a tree of `size` leaves. */
function treeDepth(size: number): number {
  return nodeDepth(2 * size - 2);
}

/** The depth of the shallowest tile root below the block root, or null when one tile holds the whole tree. */
function firstTileRootDepth(size: number): number | null {
  const depth = treeDepth(size);
  return depth > TILE_LEVELS ? ((depth - 1) % TILE_LEVELS) + 1 : null;
}

/** The depth of the root of the tile that stores nodes at `depth` (>= 1). */
function tileRootDepth(size: number, depth: number): number {
  const first = firstTileRootDepth(size);
  if (first === null || depth <= first) return 0;
  return first + TILE_LEVELS * Math.floor((depth - first - 1) / TILE_LEVELS);
}

/** How many levels below its root tile `tile` spans (the top tile may be short). */
function tileLevels(size: number, tile: number): number {
  const rootDepth = nodeDepth(tile);
  if (rootDepth > 0) return TILE_LEVELS;
  return firstTileRootDepth(size) ?? treeDepth(size);
}

/** The tile (named by its root node) that stores node `k` of a tree of `size` leaves. Requires k >= 1. */
export function tileOf(size: number, k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`Node ${k} is not stored in a tile (the root never is).`);
  const depth = nodeDepth(k);
  return ((k + 1) >> (depth - tileRootDepth(size, depth))) - 1;
}

/** For each level of tile `tile`: the first heap index and how many of its nodes exist. */
function tileSpans(size: number, tile: number): Array<{ start: number; count: number }> {
  const nodeCount = 2 * size - 1;
  const spans: Array<{ start: number; count: number }> = [];
  for (let level = 1; level <= tileLevels(size, tile); level++) {
    const start = ((tile + 1) << level) - 1;
    spans.push({ start, count: Math.max(0, Math.min(1 << level, nodeCount - start)) });
  }
  return spans;
}

/** Bytes stored for tile `tile` of a tree of `size` leaves. */
export function tileByteLength(size: number, tile: number): number {
  return tileSpans(size, tile).reduce((sum, s) => sum + s.count, 0) * NODE_BYTES;
}

/** Byte offset of node `k` inside its tile `tile`. */
function offsetInTile(size: number, k: number, tile: number): number {
  let nodesBefore = 0;
  for (const span of tileSpans(size, tile)) {
    if (k >= span.start && k < span.start + span.count) return (nodesBefore + k - span.start) * NODE_BYTES;
    nodesBefore += span.count;
  }
  throw new RangeError(`Node ${k} is not in tile ${tile}.`);
}

/** The tiles a proof of leaf `leafIndex` needs, in no particular order and without repeats. */
export function tilesForProof(size: number, leafIndex: number): number[] {
  return [...new Set(proofNodeIndices(size, leafIndex).map((k) => tileOf(size, k)))];
}

/**
 * Cuts a tree's node array into tiles. Yields `[tile, bytes]` for every tile that holds at least
 * one node, in increasing tile order; `bytes` is a fresh buffer of `tileByteLength` bytes.
 */
export function* tilesOfTree(nodes: Uint8Array): Generator<[tile: number, bytes: Uint8Array]> {
  const nodeCount = nodes.length / NODE_BYTES;
  const size = (nodeCount + 1) / 2;
  if (size < 2) return;
  const rootDepths = [0];
  for (let d = firstTileRootDepth(size); d !== null && d < treeDepth(size); d += TILE_LEVELS) rootDepths.push(d);
  for (const depth of rootDepths) {
    const first = (1 << depth) - 1;
    const last = Math.min((1 << (depth + 1)) - 2, nodeCount - 1);
    for (let tile = first; tile <= last && 2 * tile + 1 < nodeCount; tile++) {
      const spans = tileSpans(size, tile);
      const bytes = new Uint8Array(spans.reduce((sum, s) => sum + s.count, 0) * NODE_BYTES);
      let at = 0;
      for (const { start, count } of spans) {
        bytes.set(nodes.subarray(start * NODE_BYTES, (start + count) * NODE_BYTES), at);
        at += count * NODE_BYTES;
      }
      yield [tile, bytes];
    }
  }
}

/**
 * Reads the inclusion proof of leaf `leafIndex` from stored tiles.
 * Throws an Error naming the tile when `tiles` lacks one the proof needs or holds one of the wrong length.
 */
export function proofFromTiles(size: number, leafIndex: number, tiles: ReadonlyMap<number, Uint8Array>): Hash[] {
  return proofNodeIndices(size, leafIndex).map((k) => {
    const tile = tileOf(size, k);
    const bytes = tiles.get(tile);
    if (!bytes) throw new Error(`Tile ${tile} is missing: it holds node ${k} of the proof.`);
    if (bytes.length !== tileByteLength(size, tile)) throw new Error(`Tile ${tile} holds ${bytes.length} bytes, not ${tileByteLength(size, tile)}.`);
    const offset = offsetInTile(size, k, tile);
    return bytesToHex(bytes.subarray(offset, offset + NODE_BYTES));
  });
}
