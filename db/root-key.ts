import { sql, type SQL } from "drizzle-orm";

/**
 * The SQL function (migration 0008) that narrows a 32-byte root to its first 8 bytes as a bigint.
 * `entries_prev_root_idx` is on (this key of prev_root, seq): 24-byte index tuples instead of 56,
 * with the same ordered scans. Two roots sharing a key only cost the scan a recheck.
 */
export const ROOT_KEY_FUNCTION = "sealbook_root_key";

/**
 * The condition "the entry row's prevRoot `column` is `root`", written so that PostgreSQL can use
 * the narrow `entries_prev_root_idx` (the key) and is still exact (the full column).
 */
export function namesRoot(column: SQL, root: Uint8Array): SQL {
  const fn = sql.raw(ROOT_KEY_FUNCTION);
  const value = Buffer.from(root);
  return sql`(${fn}(${column}) = ${fn}(${value}::bytea) and ${column} = ${value})`;
}
