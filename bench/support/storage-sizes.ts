import type postgres from "postgres";

/** The tables that hold a ledger's data, in the order the storage tables list them. */
export const LEDGER_TABLES = ["entries", "entry_keys", "entry_leaves", "block_tree_tiles", "blocks", "block_derived"] as const;

export type LedgerTable = (typeof LEDGER_TABLES)[number];

export interface TableSize {
  /** pg_total_relation_size: heap, TOAST, indexes, free-space and visibility maps (bytes). */
  total: number;
  /** pg_table_size: heap and TOAST (bytes). */
  heap: number;
  indexes: number;
  /** The partitions under the table (0 when it is not partitioned). */
  partitions: number;
}

export interface LedgerStorage {
  entries: number;
  blocks: number;
  /** The JWS bytes of all entries, as signed (their text). */
  jwsBytes: number;
  /** The same JWS as stored (6 bits a symbol, migration 0010). */
  storedJwsBytes: number;
  /** Entry rows per 8 KB heap page, over all partitions of `entries`. */
  entriesPerPage: number;
  tables: Record<LedgerTable, TableSize>;
  /** All ledger tables together (bytes). */
  total: number;
  /** The largest index of the ledger's tables and their partitions, by pg_relation_size. */
  largestIndex: { name: string; bytes: number };
}

/**
 * What a ledger occupies on PostgreSQL, table by table, and its largest index. Run VACUUM ANALYZE
 * first for the steady state autovacuum leaves (visibility and free-space maps), not a fresh-insert
 * artefact. Reads every entry's JWS length: a full scan of `entries`.
 */
export async function ledgerStorage(db: postgres.Sql): Promise<LedgerStorage> {
  const [{ n, jws, stored, pages, blocks }] = await db<{ n: number; jws: number; stored: number; pages: number; blocks: number }[]>`
    select count(*)::float8 as n, coalesce(sum(octet_length(sealbook_unpack_jws(jws))), 0)::float8 as jws, coalesce(sum(octet_length(jws)), 0)::float8 as stored,
           (select coalesce(sum(c.relpages), 0)::float8 from pg_partition_tree('entries'::regclass) t join pg_class c on c.oid = t.relid) as pages,
           (select count(*)::int from blocks) as blocks
    from entries`;
  // A partitioned table holds nothing itself: its partitions do, so sizes are summed over its
  // partition tree (which pg_partition_tree leaves empty for a plain table: then the table alone).
  const tables = {} as Record<LedgerTable, TableSize>;
  for (const table of LEDGER_TABLES) {
    const [row] = await db<TableSize[]>`
      with tree as (select relid from pg_partition_tree(${table}::regclass) union select ${table}::regclass)
      select sum(pg_total_relation_size(relid))::float8 as total, sum(pg_table_size(relid))::float8 as heap,
             sum(pg_indexes_size(relid))::float8 as indexes, (count(*) - 1)::int as partitions from tree`;
    tables[table] = row;
  }
  const [largest] = await db<{ name: string; bytes: number }[]>`
    select i.indexrelid::regclass::text as name, pg_relation_size(i.indexrelid)::float8 as bytes
    from unnest(${[...LEDGER_TABLES]}::text[]) as t(name)
    cross join lateral (select relid from pg_partition_tree(t.name::regclass) union select t.name::regclass) tree
    join pg_index i on i.indrelid = tree.relid
    order by bytes desc limit 1`;
  const total = Object.values(tables).reduce((sum, s) => sum + s.total, 0);
  return { entries: n, blocks, jwsBytes: jws, storedJwsBytes: stored, entriesPerPage: n / Math.max(1, pages), tables, total, largestIndex: largest };
}
