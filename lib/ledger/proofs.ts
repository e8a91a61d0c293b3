import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import type { Hash } from "../protocol/hex";
import { proofFromTiles, tilesForProof } from "../protocol/tiles";
import type { LedgerContext } from "./context";
import { getBlock, getEntryStatus, type AnchorInfo } from "./reads";

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
  const entry = await getEntryStatus(ctx, entryHash);
  if (!entry) return { status: "unknown" };
  if (entry.status === "pending") return { status: "pending", entryHash, acceptedAt: entry.acceptedAt };
  const block = await getBlock(ctx, entry.height);
  if (!block) throw new Error(`Entry ${entryHash} names block ${entry.height}, which does not exist: run \`sealbook audit\`.`);
  const wanted = tilesForProof(block.entryCount, entry.leafIndex);
  const tileRows =
    wanted.length === 0
      ? []
      : await queryRows<{ tile: number; nodes: Uint8Array }>(
          ctx.db,
          sql`select tile, nodes from block_tree_tiles where height = ${entry.height} and tile = any(${`{${wanted.join(",")}}`}::int[])`,
        );
  const tiles = new Map(tileRows.map((r) => [Number(r.tile), new Uint8Array(r.nodes)]));
  const proof = proofFromTiles(block.entryCount, entry.leafIndex, tiles);
  return {
    status: "sealed",
    bundle: {
      version: 1,
      ledgerId: ctx.ledgerId,
      entryHash,
      block: {
        height: block.height,
        root: block.root,
        prevRoot: block.prevRoot,
        entryCount: block.entryCount,
        sealedAt: block.sealedAt.toISOString(),
      },
      proof,
      anchor: block.anchor,
    },
  };
}
