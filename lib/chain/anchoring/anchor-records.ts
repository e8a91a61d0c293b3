/**
 * The anchoring job's bookkeeping in the `anchors` table: one row per sealed block, saying where its
 * root was sent, whether it is mined and confirmed, how often it was tried and the last error.
 * Every function here is scoped to one target (chain id and registry address).
 */
import type { Address, Hash } from "viem";
import { queryRows, sql, type Database } from "../../../db/client";
import { bytesToHex } from "../../protocol/hex";

/** The registry the job anchors to. */
export interface AnchorTarget {
  chainId: number;
  registry: Address;
}

export type AnchorStatus = "sent" | "confirmed" | "failed";

export interface AnchorRow {
  height: number;
  status: AnchorStatus;
  txHash: Hash | null;
  chainBlockNumber: number | null;
  attempts: number;
  lastError: string | null;
}

/** A sealed block as the job anchors it. */
export interface BlockToAnchor {
  height: number;
  root: Hash;
  prevRoot: Hash;
  entryCount: number;
}

type RawAnchorRow = { height: number; status: AnchorStatus; tx_hash: string | null; chain_block_number: string | number | null; attempts: number; last_error: string | null };

/** The rows of `target`, by height. */
export async function readAnchorRows(db: Database, target: AnchorTarget): Promise<Map<number, AnchorRow>> {
  const rows = await queryRows<RawAnchorRow>(
    db,
    sql`select height, status, tx_hash, chain_block_number, attempts, last_error from anchors
        where chain_id = ${target.chainId} and registry = ${target.registry} order by height`,
  );
  return new Map(
    rows.map((r) => [
      Number(r.height),
      {
        height: Number(r.height),
        status: r.status,
        txHash: (r.tx_hash as Hash | null) ?? null,
        chainBlockNumber: r.chain_block_number === null ? null : Number(r.chain_block_number),
        attempts: Number(r.attempts),
        lastError: r.last_error,
      },
    ]),
  );
}

/** Deletes the rows of every other chain or registry (the job moved to another one); returns how many. */
export async function forgetOtherTargets(db: Database, target: AnchorTarget): Promise<number> {
  const rows = await queryRows(db, sql`delete from anchors where chain_id <> ${target.chainId} or registry <> ${target.registry} returning height`);
  return rows.length;
}

/** Deletes every row of chain `chainId` (its registry was redeployed, empty); returns how many. */
export async function forgetChain(db: Database, chainId: number): Promise<number> {
  const rows = await queryRows(db, sql`delete from anchors where chain_id = ${chainId} returning height`);
  return rows.length;
}

/** The sealed blocks `from..to` (inclusive), in height order. */
export async function readBlocksToAnchor(db: Database, from: number, to: number): Promise<BlockToAnchor[]> {
  if (to < from) return [];
  const rows = await queryRows<{ height: number; root: Uint8Array; prev_root: Uint8Array; entry_count: number }>(
    db,
    sql`select height, root, prev_root, entry_count from blocks where height between ${from} and ${to} order by height`,
  );
  return rows.map((r) => ({ height: Number(r.height), root: bytesToHex(r.root), prevRoot: bytesToHex(r.prev_root), entryCount: Number(r.entry_count) }));
}

/** The roots of the given sealed heights. */
export async function readBlockRoots(db: Database, heights: number[]): Promise<Map<number, Hash>> {
  if (heights.length === 0) return new Map();
  const rows = await queryRows<{ height: number; root: Uint8Array }>(
    db,
    sql`select height, root from blocks where height = any(${`{${heights.join(",")}}`}::int[])`,
  );
  return new Map(rows.map((r) => [Number(r.height), bytesToHex(r.root)]));
}

/** Records that heights `first..first+count-1` were sent in transaction `txHash` (one more attempt each). */
export async function recordSent(db: Database, target: AnchorTarget, first: number, count: number, txHash: Hash): Promise<void> {
  await db.execute(
    sql`insert into anchors (height, status, chain_id, registry, tx_hash, attempts, batch_size, updated_at)
        select h, 'sent', ${target.chainId}, ${target.registry}, ${txHash}, 1, ${count}, now()
        from generate_series(${first}::int, ${first + count - 1}::int) as h
        on conflict (height) do update set
          status = 'sent', chain_id = excluded.chain_id, registry = excluded.registry, tx_hash = excluded.tx_hash,
          chain_block_number = null, gas_used = null, last_error = null, batch_size = excluded.batch_size,
          attempts = case when anchors.chain_id = excluded.chain_id and anchors.registry = excluded.registry then anchors.attempts + 1 else 1 end,
          updated_at = now()`,
  );
}

/**
 * Records that transaction `replaced` was replaced by `replacement` (same nonce, higher fees): the
 * heights it carried now wait for the replacement, one attempt more.
 */
export async function recordReplaced(db: Database, target: AnchorTarget, replaced: Hash, replacement: Hash, note: string): Promise<void> {
  await db.execute(
    sql`update anchors set tx_hash = ${replacement}, attempts = attempts + 1, last_error = ${note}, updated_at = now()
        where chain_id = ${target.chainId} and registry = ${target.registry} and tx_hash = ${replaced} and status = 'sent'`,
  );
}

/** Records that `txHash` was mined in `blockNumber` using `gasUsed`; `confirmed` once it has enough confirmations. */
export async function recordMined(db: Database, target: AnchorTarget, txHash: Hash, blockNumber: number, gasUsed: bigint, confirmed: boolean): Promise<void> {
  await db.execute(
    sql`update anchors set chain_block_number = ${blockNumber}, gas_used = ${Number(gasUsed)},
          status = ${confirmed ? "confirmed" : "sent"}, last_error = null, updated_at = now()
        where chain_id = ${target.chainId} and registry = ${target.registry} and tx_hash = ${txHash}`,
  );
}

/** A root found on chain for a block the job has no confirmed row of (see reconcile.ts). */
export interface AdoptedAnchor {
  height: number;
  txHash: Hash | null;
  blockNumber: number | null;
  gasUsed: bigint | null;
  batchSize: number;
  confirmed: boolean;
}

/** Records roots found on chain: the transaction, block and gas from their RootAnchored event and receipt. */
export async function recordAdopted(db: Database, target: AnchorTarget, adopted: AdoptedAnchor[]): Promise<void> {
  for (const a of adopted) {
    const status = a.confirmed ? "confirmed" : "sent";
    const note = a.txHash ? null : "The root is on chain, but its RootAnchored event was not found (the RPC may prune logs).";
    await db.execute(
      sql`insert into anchors (height, status, chain_id, registry, tx_hash, chain_block_number, gas_used, attempts, batch_size, last_error, updated_at)
          values (${a.height}, ${status}, ${target.chainId}, ${target.registry}, ${a.txHash}, ${a.blockNumber},
                  ${a.gasUsed === null ? null : Number(a.gasUsed)}, 1, ${a.batchSize}, ${note}, now())
          on conflict (height) do update set
            status = excluded.status, chain_id = excluded.chain_id, registry = excluded.registry, tx_hash = excluded.tx_hash,
            chain_block_number = excluded.chain_block_number, gas_used = excluded.gas_used, batch_size = excluded.batch_size,
            attempts = greatest(anchors.attempts, 1), last_error = excluded.last_error, updated_at = now()`,
    );
  }
}

/** Marks heights confirmed (their block now has enough confirmations). */
export async function markConfirmed(db: Database, target: AnchorTarget, heights: number[]): Promise<void> {
  if (heights.length === 0) return;
  await db.execute(
    sql`update anchors set status = 'confirmed', last_error = null, updated_at = now()
        where chain_id = ${target.chainId} and registry = ${target.registry} and height = any(${`{${heights.join(",")}}`}::int[])`,
  );
}

/**
 * Records that the anchors of `heights` are not on chain any more (a reorg, a dropped transaction, a
 * reverted one): they go back to `failed`, without transaction, to be sent again.
 */
export async function recordDropped(db: Database, target: AnchorTarget, heights: number[], reason: string): Promise<void> {
  if (heights.length === 0) return;
  await db.execute(
    sql`update anchors set status = 'failed', tx_hash = null, chain_block_number = null, gas_used = null,
          last_error = ${reason}, updated_at = now()
        where chain_id = ${target.chainId} and registry = ${target.registry} and height = any(${`{${heights.join(",")}}`}::int[])`,
  );
}

/**
 * Records a failed attempt on every height `from..to` that is not confirmed: one more attempt and the
 * error. A height already sent stays `sent` (its transaction may still land; the error is a note on
 * that attempt, not another one); others become `failed`.
 */
export async function recordFailure(db: Database, target: AnchorTarget, from: number, to: number, message: string): Promise<void> {
  if (to < from) return;
  await db.execute(
    sql`insert into anchors (height, status, chain_id, registry, attempts, last_error, updated_at)
        select h, 'failed', ${target.chainId}, ${target.registry}, 1, ${message}, now()
        from generate_series(${from}::int, ${to}::int) as h
        on conflict (height) do update set
          attempts = case when anchors.status = 'sent' and anchors.tx_hash is not null then anchors.attempts else anchors.attempts + 1 end,
          last_error = excluded.last_error, updated_at = now(),
          status = case when anchors.status = 'sent' and anchors.tx_hash is not null then 'sent' else 'failed' end
        where anchors.status <> 'confirmed' and anchors.chain_id = excluded.chain_id and anchors.registry = excluded.registry`,
  );
}

/** The highest confirmed height of `target` (0 when none). */
export async function confirmedHeight(db: Database, target: AnchorTarget): Promise<number> {
  const [row] = await queryRows<{ h: number | null }>(
    db,
    sql`select max(height) as h from anchors where status = 'confirmed' and chain_id = ${target.chainId} and registry = ${target.registry}`,
  );
  return Number(row?.h ?? 0);
}
