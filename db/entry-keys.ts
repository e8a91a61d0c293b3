/**
 * Finding entries by hash through `entry_keys` (migration 0011): one unpartitioned B-tree on 8
 * bytes of the hash gives an entry's seq and block height, which name the one partition of
 * `entries`, `entry_leaves` and `block_tree_tiles` to read. A query naming the hash alone would be
 * planned and probed on every partition.
 *
 * Ask for the keys first, in a query of their own, then read the rows with the seq and height as
 * parameters, on the lookup pool (`queryRows` with `{ plan: "generic" }`): PostgreSQL prunes the
 * other partitions as the query starts, from a plan made once. A join from the keys would be
 * planned over every partition at each call.
 */
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Database } from "./client";
import { ROOT_KEY_FUNCTION } from "./root-key";

/** Where an entry is: its row's seq, and the block that holds it by the protocol (null when it names no block's root). */
export interface EntryKey {
  seq: number;
  height: number | null;
}

/**
 * The keys of the entries whose hash shares the first 8 bytes of `entryHash`: almost always one or
 * none. The caller compares the full hash on the row it reads.
 */
export async function entryKeysOf(db: Database, entryHash: Uint8Array): Promise<EntryKey[]> {
  const fn = sql.raw(ROOT_KEY_FUNCTION);
  const rows = await queryRows<{ seq: string | number; height: number | null }>(
    db,
    sql`select seq, height from entry_keys where hash_key = ${fn}(${Buffer.from(entryHash)}::bytea) order by seq`,
    { plan: "generic" },
  );
  return rows.map((r) => ({ seq: Number(r.seq), height: r.height === null ? null : Number(r.height) }));
}

/** A set of 32-byte hashes given as `0x…` hex, as an SQL subquery of bytea values (one parameter, any length). */
export function hexHashSet(hashes: readonly string[]): SQL {
  return sql`(select decode(substr(x, 3), 'hex') from json_array_elements_text(${JSON.stringify(hashes)}::json) as x)`;
}

/**
 * The condition "entry row `alias` has one of the hashes `hashes`" (a set such as `hexHashSet`),
 * through `entry_keys`: for queries on many entries at once.
 */
export function entryHashIn(alias: string, hashes: SQL): SQL {
  const e = sql.raw(alias);
  const fn = sql.raw(ROOT_KEY_FUNCTION);
  return sql`(${e}.seq in (select k.seq from entry_keys k where k.hash_key in (select ${fn}(h) from ${hashes} as x(h))) and ${e}.entry_hash in (select h from ${hashes} as y(h)))`;
}

/** Whether some entries archived before migration 0011 have no hash key: they are found through the archived blocks' leaf positions. */
export async function hasUnkeyedEntries(db: Database): Promise<boolean> {
  const [row] = await queryRows<{ any: boolean }>(db, sql`select exists (select 1 from entry_keys where hash_key is null) as any`);
  return row.any;
}
