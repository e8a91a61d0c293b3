import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { ensureLedgerPartitions } from "../../db/partitions";
import { namesRoot } from "../../db/root-key";
import { bytesToHex } from "../protocol/hex";
import type { BlockTree } from "../protocol/merkle";
import { tilesOfTree } from "../protocol/tiles";
import { ProtocolError } from "../protocol/errors";
import type { LedgerContext } from "./context";
import { buildTreeFromPacked } from "./tree";

/**
 * A block's derived data: each entry's leaf position (`entry_leaves`) and the tree tiles that
 * proofs read (`block_tree_tiles`). Both follow from the block's entries, which the header alone
 * decides (block h holds the entries naming root(h-1)); so the seal commits the header under the
 * ledger lock and writes the derived data after releasing it. The derived rows of a block are
 * written in one transaction together with its `block_derived` row, which comes last: a block
 * without that row has no usable derived data yet, and readers answer "try again" for it.
 */

/** Seconds a reader is told to wait when a block's derived data is still being written. */
export const DERIVED_RETRY_AFTER_SECONDS = 2;

export interface DeriveProgress {
  phase: "leaves" | "tiles";
  done: number;
  total: number;
}

/** Rows written per statement; bounds statement size and memory. */
const LEAF_INSERT_CHUNK = 50_000;
const TILE_INSERT_CHUNK = 2_000;

/** The error readers throw for a block whose derived data is not written yet: 503 with Retry-After. */
export function derivedPendingError(height: number): ProtocolError {
  return new ProtocolError(
    "unavailable",
    `Block ${height} is sealed, and its leaf positions and tree are being written; try again in a few seconds.`,
    { height, retryAfterSeconds: DERIVED_RETRY_AFTER_SECONDS },
  );
}

/** Heights of sealed blocks whose derived data is missing (a seal interrupted after its header, or a migrated ledger). */
export async function blocksWithoutDerivedData(ctx: LedgerContext): Promise<number[]> {
  const rows = await queryRows<{ height: number }>(
    ctx.db,
    sql`select b.height from blocks b where not exists (select 1 from block_derived d where d.height = b.height) order by b.height`,
  );
  return rows.map((r) => Number(r.height));
}

/** The lowest height whose derived data is missing, or null when every block has it. */
export async function firstBlockWithoutDerivedData(ctx: LedgerContext): Promise<number | null> {
  const [row] = await queryRows<{ height: number }>(
    ctx.db,
    sql`select b.height from blocks b where not exists (select 1 from block_derived d where d.height = b.height) order by b.height limit 1`,
  );
  return row ? Number(row.height) : null;
}

/**
 * Writes the derived data of every block that lacks it, oldest first. Runs before each seal and
 * at start, so a crash between a header and its derived data is repaired before anything else.
 * Returns the heights it completed.
 */
export async function completeDerivedData(ctx: LedgerContext, onProgress?: (height: number, progress: DeriveProgress) => void): Promise<number[]> {
  const done: number[] = [];
  for (const height of await blocksWithoutDerivedData(ctx)) {
    if (await rebuildBlockDerivedData(ctx, height, onProgress && ((p) => onProgress(height, p)))) done.push(height);
  }
  return done;
}

/**
 * (Re)builds block `height`'s derived data from its entries: collects the entries naming its
 * prevRoot, rebuilds the tree, checks it against the header's root and count, and writes the leaf
 * positions and tiles it lacks, then the `block_derived` row. Does nothing when the block already
 * has its derived data (returns false). Safe to run from several processes at once: each takes
 * the block row's lock and checks again. Throws when the entries no longer give the header's root
 * (tampering: `sealbook audit` names it), without writing anything.
 */
export async function rebuildBlockDerivedData(ctx: LedgerContext, height: number, onProgress?: (progress: DeriveProgress) => void): Promise<boolean> {
  return writeDerivedData(ctx, height, null, onProgress);
}

/**
 * Writes the derived data of block `height`. `built` is the tree the seal already has in memory
 * (with the entry hashes in seq order it was built from); without it, the tree is rebuilt from the entries.
 */
export async function writeDerivedData(
  ctx: LedgerContext,
  height: number,
  built: { packed: Uint8Array; tree: BlockTree } | null,
  onProgress: (progress: DeriveProgress) => void = () => {},
): Promise<boolean> {
  // Partitions ahead of this block's rows (and of the next entries), in a short transaction of
  // their own rather than in the long one that writes the rows.
  await ensureLedgerPartitions(ctx.db, { height });
  return ctx.db.transaction(async (tx) => {
    const [block] = await queryRows<{ root: Uint8Array; prev_root: Uint8Array; entry_count: number }>(
      tx,
      sql`select root, prev_root, entry_count from blocks where height = ${height} for no key update`,
    );
    if (!block) throw new Error(`Block ${height} does not exist.`);
    // A new statement, so a new snapshot (READ COMMITTED): it sees what a writer that held the
    // block's lock before us committed.
    const [state] = await queryRows<{ derived: boolean; has_leaves: boolean; has_tiles: boolean }>(
      tx,
      sql`select exists (select 1 from block_derived where height = ${height}) as derived,
                 exists (select 1 from entry_leaves where block_height = ${height}) as has_leaves,
                 exists (select 1 from block_tree_tiles where height = ${height}) as has_tiles`,
    );
    if (state.derived) return false;
    let { packed, tree } = built ?? { packed: null, tree: null };
    if (!packed || !tree) {
      const [collected] = await queryRows<{ hashes: Uint8Array | null }>(
        tx,
        sql`select string_agg(entry_hash, ''::bytea order by seq) as hashes from entries where ${namesRoot(sql`prev_root`, block.prev_root)}`,
      );
      packed = collected.hashes ? new Uint8Array(collected.hashes) : new Uint8Array(0);
      tree = packed.length > 0 ? buildTreeFromPacked(packed) : null;
    }
    const count = packed.length / 32;
    if (!tree || count !== Number(block.entry_count) || tree.root !== bytesToHex(block.root)) {
      throw new Error(
        `Block ${height}: its entries (${count}) no longer give the header's root ${bytesToHex(block.root)} and count ${block.entry_count}; ` +
          `its leaf positions and tree were not written. Run \`sealbook audit\`.`,
      );
    }
    await writeDerivedRows(tx, height, packed, tree, onProgress, { leaves: !state.has_leaves, tiles: !state.has_tiles });
    return true;
  });
}

/**
 * Writes block `height`'s leaf positions and tiles (those `which` asks for) from `tree`, the tree
 * of `packed` (its entry hashes in seq order), then its `block_derived` row, in the caller's
 * transaction. Restoring a backup writes each block's derived data through here too.
 */
export async function writeDerivedRows(
  tx: Database,
  height: number,
  packed: Uint8Array,
  tree: BlockTree,
  onProgress: (progress: DeriveProgress) => void = () => {},
  which: { leaves: boolean; tiles: boolean } = { leaves: true, tiles: true },
): Promise<void> {
  if (which.leaves) await insertLeaves(tx, height, packed, tree, onProgress);
  if (which.tiles) await insertTreeTiles(tx, height, tree, onProgress);
  await tx.execute(sql`insert into block_derived (height) values (${height}) on conflict (height) do nothing`);
}

/** Entry hashes in sorted-leaf order: the i-th 32 bytes are leaf i of the block. */
export function sortedLeafHashes(packed: Uint8Array, tree: BlockTree): Uint8Array {
  const count = tree.size;
  const sorted = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) {
    const from = tree.sortedEntryIndex[i] * 32;
    sorted.set(packed.subarray(from, from + 32), i * 32);
  }
  return sorted;
}

async function insertLeaves(tx: Database, height: number, packed: Uint8Array, tree: BlockTree, onProgress: (p: DeriveProgress) => void): Promise<void> {
  const count = tree.size;
  const sorted = sortedLeafHashes(packed, tree);
  onProgress({ phase: "leaves", done: 0, total: count });
  for (let start = 0; start < count; start += LEAF_INSERT_CHUNK) {
    const n = Math.min(LEAF_INSERT_CHUNK, count - start);
    await tx.execute(
      sql`insert into entry_leaves (entry_hash, block_height, leaf_index)
          select substring(${Buffer.from(sorted.subarray(start * 32, (start + n) * 32))}::bytea from i * 32 + 1 for 32), ${height}::int, ${start}::int + i
          from generate_series(0, ${n - 1}::int) as i`,
    );
    onProgress({ phase: "leaves", done: start + n, total: count });
  }
}

/** Inserts the tiles `ids` of block `height`, `tiles[i]` holding tile `ids[i]`'s nodes (tiles vary in length). */
export async function insertTiles(tx: Database, height: number, ids: number[], tiles: Uint8Array[]): Promise<void> {
  const offsets: number[] = [];
  const lengths: number[] = [];
  let total = 0;
  for (const t of tiles) {
    offsets.push(total + 1);
    lengths.push(t.length);
    total += t.length;
  }
  const joined = new Uint8Array(total);
  tiles.forEach((t, i) => joined.set(t, offsets[i] - 1));
  await tx.execute(
    sql`insert into block_tree_tiles (height, tile, nodes)
        select ${height}::int, t.tile, substring(${Buffer.from(joined)}::bytea from t.start for t.len)
        from unnest(${`{${ids.join(",")}}`}::int[], ${`{${offsets.join(",")}}`}::int[], ${`{${lengths.join(",")}}`}::int[]) as t(tile, start, len)`,
  );
}

async function insertTreeTiles(tx: Database, height: number, tree: BlockTree, onProgress: (p: DeriveProgress) => void): Promise<void> {
  let ids: number[] = [];
  let tiles: Uint8Array[] = [];
  let written = 0;
  const flush = async () => {
    await insertTiles(tx, height, ids, tiles);
    written += ids.length;
    onProgress({ phase: "tiles", done: written, total: 0 });
    ids = [];
    tiles = [];
  };
  for (const [tile, bytes] of tilesOfTree(tree.nodes)) {
    ids.push(tile);
    tiles.push(bytes);
    if (ids.length >= TILE_INSERT_CHUNK) await flush();
  }
  if (ids.length > 0) await flush();
}

/** Whether block `height` has its derived data (leaf positions and tiles) written. */
export async function hasDerivedData(db: Database, height: number): Promise<boolean> {
  const rows = await queryRows(db, sql`select 1 from block_derived where height = ${height}`);
  return rows.length > 0;
}
