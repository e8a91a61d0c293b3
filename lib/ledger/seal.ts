import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { bytesToHex, hashToBytes, type Hash } from "../protocol/hex";
import { NODE_BYTES, type BlockTree } from "../protocol/merkle";
import { tilesOfTree, TILE_SLOTS } from "../protocol/tiles";
import { metrics, secondsSince } from "../observability/metrics";
import type { LedgerContext } from "./context";
import { lockLedger, readHead } from "./head";
import { buildTreeFromPacked } from "./tree";

/** A block header (PROTOCOL §3). */
export interface BlockHeader {
  height: number;
  root: Hash;
  prevRoot: Hash;
  entryCount: number;
  sealedAt: Date;
}

/** A header to write: `sealedAt` is a Date when sealed here, or a backup's exact text (to the microsecond). */
export type BlockHeaderToWrite = Omit<BlockHeader, "sealedAt"> & { sealedAt: Date | string };

export interface SealProgress {
  phase: "collect" | "tree" | "leaves" | "tiles" | "done";
  done: number;
  total: number;
}

export interface SealOptions {
  onProgress?: (progress: SealProgress) => void;
}

/** Rows written per statement while sealing; bounds statement size and memory. */
const LEAF_INSERT_CHUNK = 50_000;
const TILE_INSERT_CHUNK = 2_000;

/**
 * Seals every entry pending against the head root into block head+1, in one transaction: builds
 * the tree, writes the header, each entry's leaf position, and the tree tiles that proofs read.
 * Entries themselves are never touched: an entry is in block h because it names root(h-1).
 * Returns the new header, or null when nothing is pending (a block is never empty).
 * Concurrent sealers produce one block: the second waits on the ledger lock, then finds nothing.
 */
export async function sealPendingEntries(ctx: LedgerContext, options: SealOptions = {}): Promise<BlockHeader | null> {
  const progress = options.onProgress ?? (() => {});
  const startedAt = performance.now();
  let lockedAt = startedAt;
  const block = await ctx.db.transaction(async (tx) => {
    await lockLedger(tx, ctx.ledgerId, "update");
    lockedAt = performance.now();
    const head = await readHead(tx, ctx.genesisRoot);
    progress({ phase: "collect", done: 0, total: 0 });
    const [collected] = await queryRows<{ n: string | number; hashes: Uint8Array | null }>(
      tx,
      sql`select count(*) as n, string_agg(entry_hash, ''::bytea order by seq) as hashes
          from entries where prev_root = ${Buffer.from(hashToBytes(head.root))}`,
    );
    const count = Number(collected.n);
    if (count === 0 || !collected.hashes) return null;
    const packed = new Uint8Array(collected.hashes.buffer, collected.hashes.byteOffset, collected.hashes.byteLength);

    progress({ phase: "tree", done: 0, total: count });
    const tree = buildTreeFromPacked(packed);
    const header = { height: head.height + 1, root: tree.root, prevRoot: head.root, entryCount: count, sealedAt: ctx.now() };
    await writeSealedBlock(tx, header, packed, tree, progress);
    return header;
  });
  if (block) {
    const m = metrics();
    m.sealSeconds.observe(secondsSince(startedAt));
    m.sealStallSeconds.observe(secondsSince(lockedAt));
    m.sealEntries.observe(block.entryCount);
    m.headHeight.set(block.height);
  }
  return block;
}

/**
 * Writes a sealed block: its header, each entry's leaf position and the tree tiles that proofs read,
 * all derived from `tree`, the tree of `packed` (the block's entry hashes, 32 bytes apiece). Sealing
 * and restoring a backup both write blocks through here. Requires `header.root === tree.root`; the
 * database refuses a header that does not extend the head.
 */
export async function writeSealedBlock(tx: Database, header: BlockHeaderToWrite, packed: Uint8Array, tree: BlockTree, progress: (p: SealProgress) => void = () => {}): Promise<void> {
  if (header.root !== tree.root) throw new Error(`Block ${header.height}: the header's root ${header.root} is not its tree's root ${tree.root}.`);
  const { height, entryCount: count } = header;
  await tx.execute(
    sql`insert into blocks (height, root, prev_root, entry_count, sealed_at)
        values (${height}, ${Buffer.from(hashToBytes(tree.root))}, ${Buffer.from(hashToBytes(header.prevRoot))}, ${count}, ${instantParam(header.sealedAt)}::timestamptz)`,
  );

  const sorted = sortedLeafHashes(packed, tree);
  progress({ phase: "leaves", done: 0, total: count });
  for (let start = 0; start < count; start += LEAF_INSERT_CHUNK) {
    const n = Math.min(LEAF_INSERT_CHUNK, count - start);
    await insertLeaves(tx, height, sorted.subarray(start * 32, (start + n) * 32), start, n);
    progress({ phase: "leaves", done: start + n, total: count });
  }

  let tileIds: number[] = [];
  let tileBytes: Uint8Array[] = [];
  let tilesWritten = 0;
  for (const [tile, bytes] of tilesOfTree(tree.nodes)) {
    tileIds.push(tile);
    tileBytes.push(bytes);
    if (tileIds.length < TILE_INSERT_CHUNK) continue;
    await insertTiles(tx, height, tileIds, tileBytes);
    tilesWritten += tileIds.length;
    progress({ phase: "tiles", done: tilesWritten, total: 0 });
    tileIds = [];
    tileBytes = [];
  }
  if (tileIds.length > 0) await insertTiles(tx, height, tileIds, tileBytes);
  progress({ phase: "done", done: count, total: count });
}

/** A header's sealing time for SQL: a Date, or the exact text (to the microsecond) a backup holds. */
function instantParam(at: Date | string): string {
  return typeof at === "string" ? at : at.toISOString();
}

/** Entry hashes in sorted-leaf order: the i-th 32 bytes are leaf i of the block. */
export function sortedLeafHashes(packed: Uint8Array, tree: BlockTree): Uint8Array {
  const count = tree.sortedEntryIndex.length;
  const sorted = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) {
    const from = tree.sortedEntryIndex[i] * 32;
    sorted.set(packed.subarray(from, from + 32), i * 32);
  }
  return sorted;
}

async function insertLeaves(tx: Database, height: number, sortedHashes: Uint8Array, firstLeaf: number, n: number): Promise<void> {
  await tx.execute(
    sql`insert into entry_leaves (entry_hash, block_height, leaf_index)
        select substring(${Buffer.from(sortedHashes)}::bytea from i * 32 + 1 for 32), ${height}::int, ${firstLeaf}::int + i
        from generate_series(0, ${n - 1}::int) as i`,
  );
}

export async function insertTiles(tx: Database, height: number, ids: number[], tiles: Uint8Array[]): Promise<void> {
  const tileLength = TILE_SLOTS * NODE_BYTES;
  const joined = new Uint8Array(tiles.length * tileLength);
  tiles.forEach((t, i) => joined.set(t, i * tileLength));
  await tx.execute(
    sql`insert into block_tree_tiles (height, tile, nodes)
        select ${height}::int, t.tile, substring(${Buffer.from(joined)}::bytea from ((t.ord::int - 1) * ${tileLength}::int + 1) for ${tileLength}::int)
        from unnest(${`{${ids.join(",")}}`}::int[]) with ordinality as t(tile, ord)`,
  );
}

/** Reads a block header, or null. */
export function toBlockHeader(row: { height: number; root: Uint8Array; prev_root: Uint8Array; entry_count: number; sealed_at: Date | string }): BlockHeader {
  return {
    height: Number(row.height),
    root: bytesToHex(row.root),
    prevRoot: bytesToHex(row.prev_root),
    entryCount: Number(row.entry_count),
    sealedAt: new Date(row.sealed_at),
  };
}
