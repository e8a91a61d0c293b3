import { sql } from "drizzle-orm";
import { entryKeysOf } from "../../db/entry-keys";
import { queryRows } from "../../db/client";
import { namesRoot } from "../../db/root-key";
import { bytesToHex, hashToBytes, type Hash } from "../protocol/hex";
import type { Anchor } from "../protocol/wire/proof-bundle";
import type { LedgerContext } from "./context";
import { derivedPendingError } from "./derived";
import { readHead } from "./head";
import { toBlockHeader, type BlockHeader } from "./seal";

/** Where a block's root was published on chain, when it was (the wire format's anchor). */
export type AnchorInfo = Anchor;

export type BlockSummary = BlockHeader & { anchor: AnchorInfo | null };

/** The ledger at a glance, as `GET /api/v1/ledger` answers it. */
export interface LedgerStatus {
  ledgerId: string;
  genesisRoot: Hash;
  head: { height: number; root: Hash; sealedAt: Date | null };
  pendingCount: number;
  totalEntries: number;
  anchoredHeight: number;
}

const blockColumns = sql`b.height, b.root, b.prev_root, b.entry_count, b.sealed_at,
  a.chain_id, a.registry, a.tx_hash, a.chain_block_number`;
const anchorJoin = sql`left join anchors a on a.height = b.height and a.status = 'confirmed'`;

type BlockRow = {
  height: number;
  root: Uint8Array;
  prev_root: Uint8Array;
  entry_count: number;
  sealed_at: Date | string;
  chain_id: number | null;
  registry: string | null;
  tx_hash: string | null;
  chain_block_number: string | number | null;
};

function toBlockSummary(row: BlockRow): BlockSummary {
  const anchor =
    row.tx_hash && row.chain_id !== null && row.registry
      ? { chainId: Number(row.chain_id), registry: row.registry, txHash: row.tx_hash as Hash, blockNumber: Number(row.chain_block_number) }
      : null;
  return { ...toBlockHeader(row), anchor };
}

/** Head, pending count, totals and anchoring height. */
export async function getLedgerStatus(ctx: LedgerContext): Promise<LedgerStatus> {
  const head = await readHead(ctx.db, ctx.genesisRoot);
  const [counts] = await queryRows<{ pending: string | number; total: string | number; anchored: string | number | null; sealed_at: Date | string | null }>(
    ctx.db,
    sql`select
          (select count(*) from entries where ${namesRoot(sql`prev_root`, hashToBytes(head.root))}) as pending,
          (select coalesce(sum(entry_count), 0) from blocks) as total,
          (select coalesce(max(height), 0) from anchors where status = 'confirmed') as anchored,
          (select sealed_at from blocks order by height desc limit 1) as sealed_at`,
  );
  return {
    ledgerId: ctx.ledgerId,
    genesisRoot: ctx.genesisRoot,
    head: { ...head, sealedAt: counts.sealed_at ? new Date(counts.sealed_at) : null },
    pendingCount: Number(counts.pending),
    totalEntries: Number(counts.total),
    anchoredHeight: Number(counts.anchored ?? 0),
  };
}

/** Blocks from the newest down, `limit` at a time; `before` is the height to continue below. */
export async function listBlocks(ctx: LedgerContext, options: { before?: number; limit?: number } = {}): Promise<{ blocks: BlockSummary[]; nextBefore: number | null }> {
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 200);
  const before = options.before ?? 2_147_483_647;
  const rows = await queryRows<BlockRow>(
    ctx.db,
    sql`select ${blockColumns} from blocks b ${anchorJoin} where b.height < ${before} order by b.height desc limit ${limit}`,
  );
  const blocks = rows.map(toBlockSummary);
  const last = blocks.at(-1);
  return { blocks, nextBefore: blocks.length === limit && last && last.height > 1 ? last.height : null };
}

/**
 * Blocks from height `from` up to `to` (inclusive), oldest first, at most `limit` (≤ 1,000), with
 * their confirmed anchors: what `GET /api/v1/export` streams.
 */
export async function listBlocksAscending(ctx: LedgerContext, from: number, to: number, limit: number): Promise<BlockSummary[]> {
  const rows = await queryRows<BlockRow>(
    ctx.db,
    sql`select ${blockColumns} from blocks b ${anchorJoin}
        where b.height >= ${from} and b.height <= ${to}
        order by b.height limit ${Math.min(Math.max(limit, 1), 1_000)}`,
  );
  return rows.map(toBlockSummary);
}

/** One block with its anchor, or null. */
export async function getBlock(ctx: LedgerContext, height: number): Promise<BlockSummary | null> {
  const rows = await queryRows<BlockRow>(ctx.db, sql`select ${blockColumns} from blocks b ${anchorJoin} where b.height = ${height}`);
  return rows[0] ? toBlockSummary(rows[0]) : null;
}

/** The block whose root is `root`, or null. */
export async function getBlockByRoot(ctx: LedgerContext, root: Hash): Promise<BlockSummary | null> {
  const rows = await queryRows<BlockRow>(
    ctx.db,
    sql`select ${blockColumns} from blocks b ${anchorJoin} where b.root = ${Buffer.from(hashToBytes(root))}`,
  );
  return rows[0] ? toBlockSummary(rows[0]) : null;
}

/** A published entry: its hash and its leaf position. Bodies, kinds and signers are not published here. */
export interface PublicEntry {
  entryHash: Hash;
  leafIndex: number;
}

/**
 * A page of a block's entries in leaf order, from leaf `from` (default 0), at most `limit` (≤ 10,000).
 * `next` is the leaf index to continue from, or null at the end. Throws the 503 `unavailable`
 * error while the block's derived data is being written (never a partial list).
 */
export async function listBlockEntries(
  ctx: LedgerContext,
  height: number,
  options: { from?: number; limit?: number } = {},
): Promise<{ entries: PublicEntry[]; next: number | null }> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 10_000);
  const from = Math.max(options.from ?? 0, 0);
  // One round trip that also says whether the block's leaf positions are written yet: a block
  // just sealed, or left half-done by a crash, answers "try again" rather than a partial list.
  const rows = await queryRows<{ derived: boolean; entry_hash: Uint8Array | null; leaf_index: number | null }>(
    ctx.db,
    sql`select d.derived, l.entry_hash, l.leaf_index
        from (select exists (select 1 from block_derived where height = ${height}) as derived) d
        left join lateral (
          select entry_hash, leaf_index from entry_leaves
          where block_height = ${height} and leaf_index >= ${from}
          order by leaf_index limit ${limit}
        ) l on d.derived
        order by l.leaf_index`,
  );
  if (!rows[0]?.derived) {
    const [block] = await queryRows(ctx.db, sql`select 1 from blocks where height = ${height}`);
    if (block) throw derivedPendingError(height);
    return { entries: [], next: null };
  }
  const entries = rows
    .filter((r) => r.entry_hash !== null)
    .map((r) => ({ entryHash: bytesToHex(r.entry_hash!), leafIndex: Number(r.leaf_index) }));
  return { entries, next: entries.length === limit ? entries[entries.length - 1].leafIndex + 1 : null };
}

/**
 * Where an entry stands: sealed in a block, pending, or unknown (null). In the seconds after a seal
 * while its block's leaf positions are written (lib/ledger/derived.ts), the entry still shows as
 * pending (its proof answers 503 meanwhile); nothing here claims a position that is not written.
 */
export async function getEntryStatus(
  ctx: LedgerContext,
  entryHash: Hash,
): Promise<{ status: "sealed"; height: number; leafIndex: number; acceptedAt: Date } | { status: "pending"; acceptedAt: Date } | null> {
  const hash = Buffer.from(hashToBytes(entryHash));
  let row: { block_height: number | null; leaf_index: number | null; accepted_at: Date | string } | undefined;
  for (const key of await entryKeysOf(ctx.db, hash)) {
    // The seq and height name one partition of each table (db/entry-keys.ts).
    [row] = await queryRows<NonNullable<typeof row>>(
      ctx.db,
      sql`select l.block_height, l.leaf_index, e.accepted_at
          from entries e left join entry_leaves l on l.block_height = ${key.height ?? -1} and l.entry_hash = e.entry_hash
          where e.seq = ${key.seq} and e.entry_hash = ${hash}`,
      { plan: "generic" },
    );
    if (row) break;
  }
  if (!row) return null;

  if (row.block_height === null || row.leaf_index === null) return { status: "pending", acceptedAt: new Date(row.accepted_at) };
  return { status: "sealed", height: Number(row.block_height), leafIndex: Number(row.leaf_index), acceptedAt: new Date(row.accepted_at) };
}
