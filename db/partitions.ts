import { sql } from "drizzle-orm";
import { queryRows, type Database } from "./client";

/**
 * The range-partitioned ledger tables (migration 0009) and their keys: entries by seq, the leaf
 * positions and tree tiles by block height.
 */
export const PARTITIONED_TABLES = ["entries", "entry_leaves", "block_tree_tiles"] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

/** One partition of a ledger table: keys from `lower` (null: no lower bound) up to, not including, `upper`. */
export interface Partition {
  table: PartitionedTable;
  name: string;
  lower: number | null;
  upper: number | null;
}

/**
 * Makes sure partitions exist ahead of the keys about to be written: for entries past `seq` (default:
 * the last seq handed out), for leaf positions and tiles past `height` (default: the head + 1), each
 * by at least one whole partition. One catalog read when they do; idempotent and safe from several
 * processes at once (sealbook_ensure_partitions). Run inside a transaction, the partitions it
 * creates are there for that transaction's inserts. Returns how many partitions it created.
 */
export async function ensureLedgerPartitions(db: Database, at: { seq?: number; height?: number } = {}): Promise<number> {
  const seq = at.seq === undefined ? sql`coalesce(pg_sequence_last_value(pg_get_serial_sequence('entries', 'seq')), 0)` : sql`${at.seq}::bigint`;
  const height = at.height === undefined ? sql`(select coalesce(max(height), 0) + 1 from blocks)` : sql`${at.height}::bigint`;
  const [row] = await queryRows<{ made: number }>(
    db,
    sql`select sealbook_ensure_partitions('entries', ${seq})
             + sealbook_ensure_partitions('entry_leaves', ${height})
             + sealbook_ensure_partitions('block_tree_tiles', ${height}) as made`,
  );
  return Number(row.made);
}

/** Whether `error` is PostgreSQL's refusal of a row that no partition takes (a partition not created yet). */
export function isMissingPartitionError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (/no partition of relation .* found for row/.test(e.message)) return true;
  }
  return false;
}

/** Every partition of the ledger tables, lowest keys first. */
export async function listPartitions(db: Database): Promise<Partition[]> {
  const rows: Partition[] = [];
  for (const table of PARTITIONED_TABLES) {
    const found = await queryRows<{ partition_name: string; lower_bound: string | number | null; upper_bound: string | number | null }>(
      db,
      sql`select partition_name, lower_bound, upper_bound from sealbook_partition_bounds(${table}) order by lower_bound nulls first`,
    );
    for (const r of found) {
      rows.push({ table, name: r.partition_name, lower: r.lower_bound === null ? null : Number(r.lower_bound), upper: r.upper_bound === null ? null : Number(r.upper_bound) });
    }
  }
  return rows;
}

/**
 * Sets how wide `table`'s partitions are from now on (in seqs for entries, in blocks for the
 * others), and re-cuts at that width the empty partitions ahead of the data (those above `above`,
 * by default the highest key in use: the last seq handed out, or the head's height). For operators
 * and benchmarks that want other partitions than the default; throws when one to re-cut holds rows.
 */
export async function setPartitionWidth(db: Database, table: PartitionedTable, width: number, above?: number): Promise<void> {
  if (!Number.isSafeInteger(width) || width < 1) throw new Error(`A partition width must be a positive whole number, not ${width}.`);
  const inUse =
    above !== undefined
      ? sql`${above}::bigint`
      : table === "entries"
        ? sql`coalesce(pg_sequence_last_value(pg_get_serial_sequence('entries', 'seq')), 0)`
        : sql`(select coalesce(max(height), 0) from blocks)`;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select sealbook_set_partition_width(${table}, ${width}::bigint, ${inUse})`);
  });
}
