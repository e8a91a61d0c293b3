/**
 * The audit's checks of what no sealed block accounts for: leaf rows and tree tiles of blocks that
 * do not exist, and entries no block holds (pending ones must name the head root).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../../db/client";
import { bytesToHex, type Hash } from "../../protocol/hex";
import { entryColumns, entryKeyMismatch, keyMatches, PAGE, type CheckEntry, type EntryRow, type Report } from "./findings";

/** Leaf rows and tree tiles that point at no block: what is left of a deleted block. */
export async function checkOrphans(db: Database, report: Report): Promise<void> {
  const orphans = await queryRows<{ entry_hash: Uint8Array; block_height: number }>(
    db,
    sql`select l.entry_hash, l.block_height from entry_leaves l left join blocks b on b.height = l.block_height
        where b.height is null order by l.block_height, l.leaf_index`,
  );
  for (const row of orphans) {
    const entryHash = bytesToHex(row.entry_hash);
    report({ code: "orphan_entry", height: Number(row.block_height), entryHash, message: `Entry ${entryHash} is sealed in block ${row.block_height}, which does not exist.` });
  }
  const orphanTiles = await queryRows<{ height: number; n: string | number }>(
    db,
    sql`select t.height, count(*) as n from block_tree_tiles t left join blocks b on b.height = t.height
        where b.height is null group by t.height order by t.height`,
  );
  for (const row of orphanTiles) {
    report({ code: "orphan_tiles", height: Number(row.height), message: `${row.n} tree tiles belong to block ${row.height}, which does not exist.` });
  }
}

/**
 * Entries that no block holds, each checked on its own: pending ones must name the head root, or
 * they can never be sealed, and their keys in entry_keys must be theirs, or lookups by hash would
 * not find them. Returns how many are pending; calls `progress` after each page.
 */
export async function checkUnsealedEntries(db: Database, headRoot: Hash, checkEntry: CheckEntry, report: Report, progress: () => void): Promise<number> {
  let pending = 0;
  for (let from = -1; ; ) {
    const rows = await queryRows<EntryRow & { seq: number; key_ok: boolean }>(
      db,
      sql`select e.seq, ${entryColumns}, ${keyMatches(sql`sealbook_entry_height(e.prev_root)`)} as key_ok
          from (select * from entries e where e.seq > ${from} and e.prev_root not in (select prev_root from blocks) order by e.seq limit ${PAGE}) e
          left join entry_keys k on k.record_id = e.record_id
          order by e.seq`,
    );
    await Promise.all(rows.map((row) => checkEntry(row, undefined)));
    for (const row of rows) {
      const prevRoot = bytesToHex(row.prev_root);
      const entryHash = bytesToHex(row.entry_hash);
      if (!row.key_ok) report(entryKeyMismatch(entryHash));
      if (prevRoot === headRoot) pending++;
      else {
        report({
          code: "stranded_pending_entry",
          entryHash,
          message: `Entry ${entryHash} names ${prevRoot}, which is neither a sealed block's previous root nor the head root ${headRoot}: it can never be sealed, so an accepted record would be lost.`,
        });
      }
    }
    progress();
    if (rows.length < PAGE) break;
    from = Number(rows[rows.length - 1].seq);
  }
  return pending;
}
