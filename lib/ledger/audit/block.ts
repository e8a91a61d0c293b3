/**
 * The audit of one sealed block. Its members by the protocol are the entries naming its prevRoot;
 * its published list is its leaf rows. Both must hold the same entries, and both must give the
 * block's root; its stored tree tiles must be the recomputed tree's.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../../db/client";
import { namesRoot, ROOT_KEY_FUNCTION } from "../../../db/root-key";
import { bytesToHex, hashToBytes, type Hash } from "../../protocol/hex";
import { tilesOfTree } from "../../protocol/tiles";
import type { LedgerContext } from "../context";
import { buildTreeFromPacked } from "../tree";
import { entryColumns, entryKeyMismatch, keyMatches, PAGE, type Block, type CheckEntry, type EntryRow, type Report } from "./findings";

/** What the published list and the members of a block hold, gathered while they are checked. */
interface BlockContents {
  /** The published list, in leaf order. */
  leafHashes: Uint8Array[];
  /** The entries naming the block's prevRoot (listed or not). */
  memberHashes: Uint8Array[];
  /** Whether a leaf out of order was reported already (once per block). */
  leafOrderReported: boolean;
  /** Listed entries not found through their keys: missing, unless a member with broken keys is one of them. */
  notFound: Hash[];
}

/** Audits one block (see the file's comment), checking each of its entries with `checkEntry`. */
export async function auditBlock(ctx: LedgerContext, block: Block, checkEntry: CheckEntry, report: Report, progress: () => void): Promise<void> {
  const contents: BlockContents = { leafHashes: [], memberHashes: [], leafOrderReported: false, notFound: [] };
  // A block whose derived data is not written yet is checked from its members alone.
  if (block.derived) await checkPublishedList(ctx.db, block, contents, checkEntry, report, progress);
  await checkUnlistedMembers(ctx.db, block, contents, checkEntry, report);
  const memberRoot = checkCountAndMemberRoot(block, contents, report);
  if (contents.leafHashes.length === 0) return;
  const tree = buildTreeFromPacked(packHashes(contents.leafHashes));
  if (tree.root !== block.root && memberRoot === block.root) {
    report({ code: "block_root_mismatch", height: block.height, message: `Block ${block.height}: its published entry list gives root ${tree.root}, but the block says ${block.root}.` });
  }
  if (!contents.leafOrderReported && tree.sortedEntryIndex.some((position, i) => position !== i)) {
    report({ code: "entry_leaf_index_mismatch", height: block.height, message: `Block ${block.height}: the leaf positions are not the tree's sorted order, so proofs would point at the wrong leaves.` });
  }
  await checkTiles(ctx.db, block.height, tree.nodes, report);
}

type LeafRow = EntryRow & { leaf_hash: Uint8Array; leaf_index: number; has_entry: boolean };

/** One page of a block's published list after `from`, in leaf order, with each entry's record. */
function readLeafPage(db: Database, height: number, from: number): Promise<LeafRow[]> {
  const read = queryRows<LeafRow>(
    db,
    // Each listed entry through its keys (db/entry-keys.ts): one index, then one partition of
    // entries, however many there are. An entry whose keys are missing or altered is not found here;
    // the member check below names it (entry_key_mismatch).
    sql`select l.entry_hash as leaf_hash, l.leaf_index, e.entry_hash is not null as has_entry, ${entryColumns}
        from entry_leaves l
        left join (entry_keys k join entries e on e.seq = k.seq) on k.hash_key = ${sql.raw(ROOT_KEY_FUNCTION)}(l.entry_hash) and e.entry_hash = l.entry_hash
        where l.block_height = ${height} and l.leaf_index > ${from}
        order by l.leaf_index limit ${PAGE}`,
  );
  // Awaited by the caller; this only keeps a failed read from being reported as unhandled while a page is checked.
  read.catch(() => undefined);
  return read;
}

/** Walks the published list: leaf positions in order, every listed entry present and naming the block's prevRoot. */
async function checkPublishedList(db: Database, block: Block, contents: BlockContents, checkEntry: CheckEntry, report: Report, progress: () => void): Promise<void> {
  const { height } = block;
  let expectedLeaf = 0;
  for (let next: Promise<LeafRow[]> | null = readLeafPage(db, height, -1); next !== null; ) {
    const rows: LeafRow[] = await next;
    // The next page is read while this one is checked: PostgreSQL and the checks use different cores.
    next = rows.length === PAGE ? readLeafPage(db, height, Number(rows[rows.length - 1].leaf_index)) : null;
    await Promise.all(rows.filter((r) => r.has_entry).map((row) => checkEntry(row, height)));
    for (const row of rows) {
      const entryHash = bytesToHex(row.leaf_hash);
      if (Number(row.leaf_index) !== expectedLeaf && !contents.leafOrderReported) {
        report({ code: "entry_leaf_index_mismatch", height, entryHash, message: `Block ${height}: expected leaf ${expectedLeaf}, found leaf ${row.leaf_index}.` });
        contents.leafOrderReported = true;
      }
      expectedLeaf = Number(row.leaf_index) + 1;
      contents.leafHashes.push(new Uint8Array(row.leaf_hash));
      if (!row.has_entry) {
        contents.notFound.push(entryHash);
      } else if (bytesToHex(row.prev_root) !== block.prevRoot) {
        report({
          code: "entry_prev_root_mismatch",
          height,
          entryHash,
          message: `Entry ${entryHash} is listed in block ${height}, but it names prevRoot ${bytesToHex(row.prev_root)}, not the block's ${block.prevRoot}.`,
        });
      } else {
        contents.memberHashes.push(new Uint8Array(row.leaf_hash));
      }
    }
    progress();
  }
}

/**
 * Entries that name the block's prevRoot but are not in its published list (all of them, while it
 * has none), and members whose keys (entry_keys: record id, seq, hash key, height) are missing or not
 * the entry's, which would hide the entry from lookups by hash.
 */
async function checkUnlistedMembers(db: Database, block: Block, contents: BlockContents, checkEntry: CheckEntry, report: Report): Promise<void> {
  const { height } = block;
  const prevRootBytes = Buffer.from(hashToBytes(block.prevRoot));
  // While the block has no complete leaf list, every member is unlisted.
  const unlisted = block.derived ? sql`l.entry_hash is null` : sql`true`;
  const keyOk = keyMatches(sql`${height}::integer`);
  const rows = await queryRows<EntryRow & { unlisted: boolean; key_ok: boolean }>(
    db,
    sql`select ${entryColumns}, ${unlisted} as unlisted, ${keyOk} as key_ok
        from entries e
        left join entry_leaves l on l.entry_hash = e.entry_hash and l.block_height = ${height}
        left join entry_keys k on k.record_id = e.record_id
        where ${namesRoot(sql`e.prev_root`, prevRootBytes)} and (${unlisted} or not ${keyOk})`,
  );
  const notFound = new Set(contents.notFound);
  const badKeys = rows.filter((r) => !r.key_ok);
  for (const row of badKeys) report(entryKeyMismatch(bytesToHex(row.entry_hash), height));
  // A listed entry with broken keys, which the leaf walk could not find, is still a member: checked
  // and counted here, and not reported missing.
  const listedHidden = badKeys.filter((r) => !r.unlisted && notFound.delete(bytesToHex(r.entry_hash)));
  for (const entryHash of notFound) {
    report({ code: "entry_missing", height, entryHash, message: `Block ${height} lists entry ${entryHash}, but that record is gone from the ledger.` });
  }
  await Promise.all(listedHidden.map((row) => checkEntry(row, height)));
  for (const row of listedHidden) contents.memberHashes.push(new Uint8Array(row.entry_hash));
  const extras = rows.filter((r) => r.unlisted);
  await Promise.all(extras.map((row) => checkEntry(row, height)));
  for (const row of extras) {
    const entryHash = bytesToHex(row.entry_hash);
    if (block.derived) {
      report({ code: "entry_not_in_tree", height, entryHash, message: `Entry ${entryHash} names block ${height}'s previous root, so it belongs in block ${height}, but the block does not list it.` });
    }
    contents.memberHashes.push(new Uint8Array(row.entry_hash));
  }
}

/** The block's entry count against its members and list, and its root against its members' root; returns the members' root. */
function checkCountAndMemberRoot(block: Block, contents: BlockContents, report: Report): Hash | null {
  const { height } = block;
  const { memberHashes, leafHashes } = contents;
  if (memberHashes.length !== block.entryCount || (block.derived && leafHashes.length !== block.entryCount)) {
    report({
      code: "block_entry_count_mismatch",
      height,
      message: `Block ${height} says it holds ${block.entryCount} entries; ${memberHashes.length} entries name its previous root and ${leafHashes.length} are listed.`,
    });
  }
  const memberRoot = memberHashes.length === 0 ? null : buildTreeFromPacked(packHashes(memberHashes)).root;
  if (memberRoot !== block.root) {
    report({
      code: "block_root_mismatch",
      height,
      message: memberRoot
        ? `Block ${height}: the entries naming its previous root give root ${memberRoot}, but the block says ${block.root}.`
        : `Block ${height} has no entries left, so its root ${block.root} cannot be recomputed.`,
    });
  }
  return memberRoot;
}

/** 32-byte hashes, end to end. */
function packHashes(hashes: Uint8Array[]): Uint8Array {
  const packed = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => packed.set(h, i * 32));
  return packed;
}

/** Compares the stored tree tiles of a block with the tiles of its recomputed tree. */
async function checkTiles(db: Database, height: number, nodes: Uint8Array, report: Report): Promise<void> {
  const stored = await queryRows<{ tile: number; nodes: Uint8Array }>(db, sql`select tile, nodes from block_tree_tiles where height = ${height} order by tile`);
  const storedByTile = new Map(stored.map((t) => [Number(t.tile), new Uint8Array(t.nodes)]));
  let expectedTiles = 0;
  let bad = 0;
  for (const [tile, bytes] of tilesOfTree(nodes)) {
    expectedTiles++;
    const have = storedByTile.get(tile);
    if (!have || Buffer.compare(have, bytes) !== 0) bad++;
  }
  if (bad > 0 || stored.length !== expectedTiles) {
    report({
      code: "block_tiles_mismatch",
      height,
      message: `Block ${height}: ${bad} stored tree tiles differ from the recomputed tree (${stored.length} stored, ${expectedTiles} expected); proofs served from them would be wrong.`,
    });
  }
}
