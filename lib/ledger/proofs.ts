import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { bytesToHex, hashToBytes, type Hash } from "../protocol/hex";
import { proofFromTiles, tilesForProof } from "../protocol/tiles";
import type { LedgerContext } from "./context";
import type { AnchorInfo } from "./reads";

/** The proof bundle of PROTOCOL §5. */
export interface ProofBundle {
  version: 1;
  ledgerId: string;
  entryHash: Hash;
  block: { height: number; root: Hash; prevRoot: Hash; entryCount: number; sealedAt: string };
  proof: Hash[];
  anchor: AnchorInfo | null;
}

export type ProofAnswer =
  | { status: "sealed"; bundle: ProofBundle }
  | { status: "pending"; entryHash: Hash; acceptedAt: Date }
  | { status: "unknown" };

/**
 * The inclusion proof of an entry, read from the stored tree tiles of its block: a few small
 * rows, never a rebuild of the tree. Answers pending or unknown when there is no proof yet.
 */
export async function proofForEntry(ctx: LedgerContext, entryHash: Hash): Promise<ProofAnswer> {
  // One query for the entry, its leaf position, its block and the block's anchor; one for the tiles.
  const [row] = await queryRows<{
    accepted_at: Date | string;
    block_height: number | null;
    leaf_index: number | null;
    root: Uint8Array | null;
    prev_root: Uint8Array | null;
    entry_count: number | null;
    sealed_at: Date | string | null;
    chain_id: number | null;
    registry: string | null;
    tx_hash: string | null;
    chain_block_number: string | number | null;
  }>(
    ctx.db,
    sql`select e.accepted_at, l.block_height, l.leaf_index, b.root, b.prev_root, b.entry_count, b.sealed_at,
               a.chain_id, a.registry, a.tx_hash, a.chain_block_number
        from entries e
        left join entry_leaves l on l.entry_hash = e.entry_hash
        left join blocks b on b.height = l.block_height
        left join anchors a on a.height = l.block_height and a.status = 'confirmed'
        where e.entry_hash = ${Buffer.from(hashToBytes(entryHash))}`,
  );
  if (!row) return { status: "unknown" };
  if (row.block_height === null || row.leaf_index === null) return { status: "pending", entryHash, acceptedAt: new Date(row.accepted_at) };
  const height = Number(row.block_height);
  const leafIndex = Number(row.leaf_index);
  if (row.root === null || row.prev_root === null || row.entry_count === null || row.sealed_at === null) {
    throw new Error(`Entry ${entryHash} is listed in block ${height}, which does not exist: run \`sealbook audit\`.`);
  }
  const entryCount = Number(row.entry_count);
  const wanted = tilesForProof(entryCount, leafIndex);
  const tileRows =
    wanted.length === 0
      ? []
      : await queryRows<{ tile: number; nodes: Uint8Array }>(
          ctx.db,
          sql`select tile, nodes from block_tree_tiles where height = ${height} and tile = any(${`{${wanted.join(",")}}`}::int[])`,
        );
  const tiles = new Map(tileRows.map((r) => [Number(r.tile), new Uint8Array(r.nodes)]));
  const anchor =
    row.tx_hash && row.chain_id !== null && row.registry
      ? { chainId: Number(row.chain_id), registry: row.registry, txHash: row.tx_hash, blockNumber: Number(row.chain_block_number) }
      : null;
  return {
    status: "sealed",
    bundle: {
      version: 1,
      ledgerId: ctx.ledgerId,
      entryHash,
      block: { height, root: bytesToHex(row.root), prevRoot: bytesToHex(row.prev_root), entryCount, sealedAt: new Date(row.sealed_at).toISOString() },
      proof: proofFromTiles(entryCount, leafIndex, tiles),
      anchor,
    },
  };
}
