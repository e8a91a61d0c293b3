import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { entryKeysOf, type EntryKey } from "../../db/entry-keys";
import { bytesToHex, hashToBytes, type Hash } from "../protocol/hex";
import { TILE_LEVELS, proofFromTiles, tileByteLength } from "../protocol/tiles";
import { archivedBelow, archivedEntryPosition, proofFromArchive } from "./archived-blocks";
import type { LedgerContext } from "./context";
import type { ProofBundle } from "../protocol/wire/proof-bundle";

export type ProofAnswer =
  | { status: "sealed"; bundle: ProofBundle }
  | { status: "pending"; entryHash: Hash; acceptedAt: Date }
  /** Sealed in block `height`, whose leaf positions and tree are still being written: ask again later. */
  | { status: "deriving"; entryHash: Hash; height: number }
  | { status: "unknown" };

/**
 * The inclusion proof of an entry, read from the stored tree tiles of its block: a few small
 * rows, never a rebuild of the tree. Answers pending or unknown when there is no proof yet, and
 * "deriving" when the entry's block is sealed but its derived data (leaf positions and tiles) is
 * not complete yet (lib/ledger/derived.ts): never a proof from partial data.
 *
 * An entry of an archived block (`sealbook archive`) is answered from the block's published files,
 * checked against its sealed header (lib/ledger/archived-blocks.ts).
 *
 * Two round trips for a live entry, whatever the number of partitions: its keys (db/entry-keys.ts),
 * then, from the one partition each table has for its seq and height, the entry, the block that holds
 * it (the block whose prevRoot it names), whether that block's derived data is complete, its leaf
 * position, the block's anchor and the tiles on the leaf's path, in a single row. The tiles a proof
 * needs are the ancestors of the leaf's node at the tile root depths above it (see lib/protocol/tiles.ts): depth 0 and D-L, D-2L, … > 0,
 * with D the depth of the deepest node and L = TILE_LEVELS. The query computes them from the
 * block's entry count and the leaf index as `tilesForProof` does, and `proofFromTiles` refuses to
 * build a proof when one it needs did not come back whole.
 */
export async function proofForEntry(ctx: LedgerContext, entryHash: Hash): Promise<ProofAnswer> {
  const keys = await entryKeysOf(ctx.db, hashToBytes(entryHash));
  for (const key of keys) {
    const row = await readLiveProofRow(ctx, entryHash, key);
    if (row) return liveProof(ctx, entryHash, row);
  }
  return archivedProof(ctx, entryHash, keys);
}

type LiveProofRow = {
  accepted_at: Date | string;
  height: number | null;
  derived: boolean;
  leaf_index: number | null;
  root: Uint8Array | null;
  prev_root: Uint8Array | null;
  entry_count: number | null;
  sealed_at: Date | string | null;
  chain_id: number | null;
  registry: string | null;
  tx_hash: string | null;
  chain_block_number: string | number | null;
  tiles: number[] | null;
  tile_nodes: Uint8Array | null;
};

/** The entry at `key` with its block, leaf and tiles, when its row is live and has hash `entryHash`. */
async function readLiveProofRow(ctx: LedgerContext, entryHash: Hash, key: EntryKey): Promise<LiveProofRow | undefined> {
  const L = sql.raw(String(TILE_LEVELS));
  // With no height (an entry naming no block's root), no block row matches and the entry is pending.
  const height = key.height ?? -1;
  const [row] = await queryRows<LiveProofRow>(
    ctx.db,
    // In the heap-ordered tree of n leaves, leaf i is node k = 2n - 2 - i. With m = k + 1, the
    // node's depth d is the index of m's highest set bit, and its ancestor at depth t is node
    // (m >> (d - t)) - 1. The deepest node is 2n - 2, of depth D (from 2n - 1 the same way).
    sql`select e.accepted_at, b.height, d.height is not null as derived, l.leaf_index, b.root, b.prev_root, b.entry_count, b.sealed_at,
               a.chain_id, a.registry, a.tx_hash, a.chain_block_number, p.tiles, p.tile_nodes
        from entries e
        left join blocks b on b.height = ${height} and b.prev_root = e.prev_root
        left join block_derived d on d.height = b.height
        left join entry_leaves l on l.block_height = ${height} and l.entry_hash = e.entry_hash and d.height is not null
        left join anchors a on a.height = b.height and a.status = 'confirmed'
        left join lateral (
          select array_agg(t.tile order by t.tile) as tiles, string_agg(t.nodes, ''::bytea order by t.tile) as tile_nodes
          from block_tree_tiles t
          where t.height = ${height} and t.tile = any (array(
            select (path.m >> (path.d - s.depth)) - 1
            from (select 2 * b.entry_count - 1 - l.leaf_index as m,
                         32 - position('1' in (2 * b.entry_count - 1 - l.leaf_index)::bit(32)::text) as d,
                         32 - position('1' in (2 * b.entry_count - 1)::bit(32)::text) as dd) path,
                 lateral (select 0 union all
                          select generate_series(((path.dd - 1) % ${L}) + 1, path.dd - ${L}, ${L})) s(depth)
            where s.depth < path.d))
        ) p on l.block_height is not null
        where e.seq = ${key.seq} and e.entry_hash = ${Buffer.from(hashToBytes(entryHash))}`,
    { plan: "generic" },
  );
  return row;
}

/** The answer for a live entry's row. */
async function liveProof(ctx: LedgerContext, entryHash: Hash, row: LiveProofRow): Promise<ProofAnswer> {
  if (row.height === null) return { status: "pending", entryHash, acceptedAt: new Date(row.accepted_at) };
  const height = Number(row.height);
  if (!row.derived) return { status: "deriving", entryHash, height };
  // No tiles for a complete block: its tile partition was archived, and its tree is in the files.
  if (!row.tiles?.length && row.leaf_index !== null && Number(row.height) < (await archivedBelow(ctx.db))) {
    return { status: "sealed", bundle: await proofFromArchive(ctx, entryHash, height, anchorOf(row)) };
  }
  if (row.leaf_index === null || row.root === null || row.prev_root === null || row.entry_count === null || row.sealed_at === null) {
    throw new Error(`Entry ${entryHash} belongs to block ${height}, which does not list it: run \`sealbook audit\`.`);
  }
  const leafIndex = Number(row.leaf_index);
  const entryCount = Number(row.entry_count);
  const tiles = new Map<number, Uint8Array>();
  const nodes = row.tile_nodes ? new Uint8Array(row.tile_nodes) : new Uint8Array(0);
  let at = 0;
  for (const tile of row.tiles ?? []) {
    const length = tileByteLength(entryCount, Number(tile));
    tiles.set(Number(tile), nodes.subarray(at, at + length));
    at += length;
  }
  if (at !== nodes.length) {
    throw new Error(`Block ${height}: the stored tree tiles for leaf ${leafIndex} are malformed: run \`sealbook audit\`.`);
  }
  let proof: Hash[];
  try {
    proof = proofFromTiles(entryCount, leafIndex, tiles);
  } catch (error) {
    throw new Error(`Block ${height}, leaf ${leafIndex}: ${(error as Error).message} Run \`sealbook audit\`.`, { cause: error });
  }
  const anchor = anchorOf(row);
  return {
    status: "sealed",
    bundle: {
      version: 1,
      ledgerId: ctx.ledgerId,
      entryHash,
      block: { height, root: bytesToHex(row.root), prevRoot: bytesToHex(row.prev_root), entryCount, sealedAt: new Date(row.sealed_at).toISOString() },
      proof,
      anchor,
    },
  };
}

type AnchorColumns = { chain_id: number | null; registry: string | null; tx_hash: string | null; chain_block_number: string | number | null };

function anchorOf(row: AnchorColumns): ProofBundle["anchor"] {
  return row.tx_hash && row.chain_id !== null && row.registry
    ? { chainId: Number(row.chain_id), registry: row.registry, txHash: row.tx_hash as Hash, blockNumber: Number(row.chain_block_number) }
    : null;
}

/**
 * The proof of an entry the live tables do not hold: one of an archived block (its keys name the
 * block, whose leaf list stays in the database; its tree is read from the published files), or
 * unknown. Costs one more lookup only for entries not in the live partitions.
 */
async function archivedProof(ctx: LedgerContext, entryHash: Hash, keys: EntryKey[]): Promise<ProofAnswer> {
  const position = await archivedEntryPosition(ctx.db, entryHash, keys);
  if (!position) return { status: "unknown" };
  const [anchor] = await queryRows<AnchorColumns>(
    ctx.db,
    sql`select chain_id, registry, tx_hash, chain_block_number from anchors where height = ${position.height} and status = 'confirmed'`,
  );
  return { status: "sealed", bundle: await proofFromArchive(ctx, entryHash, position.height, anchor ? anchorOf(anchor) : null) };
}
