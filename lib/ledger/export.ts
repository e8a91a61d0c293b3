import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import type { LedgerContext } from "./context";
import { toBlockHeader } from "./seal";
import type { BlockSummary } from "./reads";

/**
 * Blocks from height `from` up to `to` (inclusive), oldest first, at most `limit` (≤ 1,000), with
 * their confirmed anchors: what `GET /api/v1/export` streams.
 */
export async function listBlocksAscending(ctx: LedgerContext, from: number, to: number, limit: number): Promise<BlockSummary[]> {
  const rows = await queryRows<{
    height: number;
    root: Uint8Array;
    prev_root: Uint8Array;
    entry_count: number;
    sealed_at: Date | string;
    chain_id: number | null;
    registry: string | null;
    tx_hash: string | null;
    chain_block_number: string | number | null;
  }>(
    ctx.db,
    sql`select b.height, b.root, b.prev_root, b.entry_count, b.sealed_at, a.chain_id, a.registry, a.tx_hash, a.chain_block_number
        from blocks b left join anchors a on a.height = b.height and a.status = 'confirmed'
        where b.height >= ${from} and b.height <= ${to}
        order by b.height limit ${Math.min(Math.max(limit, 1), 1_000)}`,
  );
  return rows.map((row) => ({
    ...toBlockHeader(row),
    anchor:
      row.tx_hash && row.chain_id !== null && row.registry
        ? { chainId: Number(row.chain_id), registry: row.registry, txHash: row.tx_hash, blockNumber: Number(row.chain_block_number) }
        : null,
  }));
}
