import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { bytesToHex, type Hash } from "../protocol/hex";

/** A sealed block and what the anchoring job recorded about it (nothing yet: `status` null). */
export interface AnchorHistoryRow {
  height: number;
  root: Hash;
  entryCount: number;
  sealedAt: Date;
  status: "sent" | "confirmed" | "failed" | null;
  chainId: number | null;
  registry: string | null;
  txHash: string | null;
  chainBlockNumber: number | null;
  /** Gas of the whole transaction, shared by the `batchSize` blocks it anchored. */
  gasUsed: number | null;
  batchSize: number | null;
  attempts: number;
  lastError: string | null;
  updatedAt: Date | null;
}

/** Sealed blocks newest first with their anchoring records; `beforeHeight` continues below a page. */
export async function listAnchorHistory(db: Database, options: { beforeHeight?: number; limit?: number } = {}): Promise<AnchorHistoryRow[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const rows = await queryRows<{
    height: number;
    root: Uint8Array;
    entry_count: number;
    sealed_at: Date | string;
    status: AnchorHistoryRow["status"];
    chain_id: number | null;
    registry: string | null;
    tx_hash: string | null;
    chain_block_number: string | number | null;
    gas_used: string | number | null;
    batch_size: number | null;
    attempts: number | null;
    last_error: string | null;
    updated_at: Date | string | null;
  }>(
    db,
    sql`select b.height, b.root, b.entry_count, b.sealed_at, a.status, a.chain_id, a.registry, a.tx_hash, a.chain_block_number,
               a.gas_used, a.batch_size, a.attempts, a.last_error, a.updated_at
        from blocks b left join anchors a on a.height = b.height
        ${options.beforeHeight === undefined ? sql`` : sql`where b.height < ${options.beforeHeight}`}
        order by b.height desc limit ${limit}`,
  );
  const num = (v: string | number | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    height: Number(r.height),
    root: bytesToHex(r.root),
    entryCount: Number(r.entry_count),
    sealedAt: new Date(r.sealed_at),
    status: r.status,
    chainId: num(r.chain_id),
    registry: r.registry,
    txHash: r.tx_hash,
    chainBlockNumber: num(r.chain_block_number),
    gasUsed: num(r.gas_used),
    batchSize: num(r.batch_size),
    attempts: Number(r.attempts ?? 0),
    lastError: r.last_error,
    updatedAt: r.updated_at === null ? null : new Date(r.updated_at),
  }));
}

const EXPLORERS: Record<number, string> = {
  1: "https://etherscan.io",
  11155111: "https://sepolia.etherscan.io",
  17000: "https://holesky.etherscan.io",
  10: "https://optimistic.etherscan.io",
  8453: "https://basescan.org",
  84532: "https://sepolia.basescan.org",
  137: "https://polygonscan.com",
  42161: "https://arbiscan.io",
};

/** A block-explorer link for a transaction: EXPLORER_URL, or the well-known explorer of the chain; null for a local chain. */
export function explorerTxUrl(chainId: number | null, txHash: string, explorerUrl: string | null): string | null {
  const base = explorerUrl ?? (chainId === null ? undefined : EXPLORERS[chainId]);
  return base ? `${base}/tx/${txHash}` : null;
}
