/** The ledger's reads of its activity: block sizes, sealing and anchoring times, for the portal's pages and feed. */
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import type { LedgerContext } from "./context";

/** One sealed block as the portal's charts see it: its size, and how long its anchoring took. */
export interface BlockActivity {
  height: number;
  entryCount: number;
  sealedAt: Date;
  /** When the anchoring job recorded the anchor as confirmed, or null while it is not. */
  anchoredAt: Date | null;
}

/** How far on-chain anchoring trails sealing. */
export interface AnchoringProgress {
  /** The highest block with a confirmed anchor, with when it was confirmed; null before the first anchor. */
  lastAnchored: { height: number; anchoredAt: Date } | null;
  /** The oldest sealed block that has no confirmed anchor yet, or null when every block is anchored. */
  oldestUnanchored: { height: number; sealedAt: Date } | null;
}

type ActivityRow = { height: number; entry_count: number; sealed_at: Date | string; anchored_at: Date | string | null };

/** The newest `limit` sealed blocks (1 to 500), oldest first, with their entry counts and anchoring times. */
export async function listBlockActivity(ctx: LedgerContext, limit = 30): Promise<BlockActivity[]> {
  const bounded = Math.min(Math.max(Math.trunc(limit), 1), 500);
  const rows = await queryRows<ActivityRow>(
    ctx.db,
    sql`select b.height, b.entry_count, b.sealed_at, a.updated_at as anchored_at
        from blocks b left join anchors a on a.height = b.height and a.status = 'confirmed'
        order by b.height desc limit ${bounded}`,
  );
  return rows
    .map((r) => ({
      height: Number(r.height),
      entryCount: Number(r.entry_count),
      sealedAt: new Date(r.sealed_at),
      anchoredAt: r.anchored_at ? new Date(r.anchored_at) : null,
    }))
    .reverse();
}

/** The last anchored block and the oldest block still waiting for its anchor. */
export async function getAnchoringProgress(ctx: LedgerContext): Promise<AnchoringProgress> {
  const [row] = await queryRows<{
    anchored_height: number | null;
    anchored_at: Date | string | null;
    waiting_height: number | null;
    waiting_sealed_at: Date | string | null;
  }>(
    ctx.db,
    sql`select a.height as anchored_height, a.updated_at as anchored_at, w.height as waiting_height, w.sealed_at as waiting_sealed_at
        from (select 1) as one
        left join lateral (select height, updated_at from anchors where status = 'confirmed' order by height desc limit 1) a on true
        left join lateral (
          select b.height, b.sealed_at from blocks b
          where not exists (select 1 from anchors x where x.height = b.height and x.status = 'confirmed')
          order by b.height limit 1
        ) w on true`,
  );
  return {
    lastAnchored: row?.anchored_height != null && row.anchored_at ? { height: Number(row.anchored_height), anchoredAt: new Date(row.anchored_at) } : null,
    oldestUnanchored:
      row?.waiting_height != null && row.waiting_sealed_at ? { height: Number(row.waiting_height), sealedAt: new Date(row.waiting_sealed_at) } : null,
  };
}

/** The height of the block anchored by the transaction `txHash` (any case), or null. */
export async function findBlockHeightByAnchorTx(ctx: LedgerContext, txHash: string): Promise<number | null> {
  const rows = await queryRows<{ height: number }>(
    ctx.db,
    sql`select height from anchors where lower(tx_hash) = ${txHash.toLowerCase()}
        order by (status = 'confirmed') desc, height limit 1`,
  );
  return rows[0] ? Number(rows[0].height) : null;
}

/** The chain id of the latest confirmed anchor to `registry` (any case), or null before the first. */
export async function latestConfirmedChainId(ctx: LedgerContext, registry: string): Promise<number | null> {
  const [latest] = await queryRows<{ chain_id: number }>(
    ctx.db,
    sql`select chain_id from anchors where status = 'confirmed' and lower(registry) = ${registry.toLowerCase()} order by height desc limit 1`,
  );
  return latest ? Number(latest.chain_id) : null;
}

/** When the anchoring job recorded block `height`'s anchor as confirmed, or null while it has none. */
export async function blockAnchoredAt(ctx: LedgerContext, height: number): Promise<Date | null> {
  const rows = await queryRows<{ anchored_at: Date | string }>(
    ctx.db,
    sql`select updated_at as anchored_at from anchors where height = ${height} and status = 'confirmed' limit 1`,
  );
  return rows[0] ? new Date(rows[0].anchored_at) : null;
}
