/**
 * What a repair changes in one block: the rows of the database that differ from the backup's copy of
 * the block (already vouched for by the chain), and nothing else. Planning only reads; `applyBlockRepair`
 * writes the plan inside the block's repair transaction, with the append-only guard lifted for exactly
 * the rows the plan names (migration 0006_repair_guard).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { entryHashIn, hexHashSet } from "../../db/entry-keys";
import { namesRoot } from "../../db/root-key";
import { bytesToHex, hashToBytes, type Hash } from "../protocol/hex";
import type { BlockTree } from "../protocol/merkle";
import { tilesOfTree } from "../protocol/tiles";
import { entryTextColumns, instantText, toEntryLine, type EntryRowText } from "./backup";
import { insertEntryLines } from "./backup-check";
import type { BlockLine, EntryLine } from "./backup-format";
import { insertTiles, sortedLeafHashes } from "./derived";

/** A block's copy from the backup, checked against the chain. */
export interface VouchedBlock {
  header: BlockLine;
  entries: EntryLine[];
  packed: Uint8Array;
  tree: BlockTree;
}

/** The rows one block's repair puts back, removes or replaces. */
export interface BlockRepairPlan {
  height: number;
  header: "insert" | "update" | null;
  /** Other heights whose block row holds this block's root (a swap): removed here, put back by their own repair. */
  displacedBlocks: number[];
  /** `goneSeqs`: the seqs of the stored rows that removing and replacing take out. */
  entries: { insert: EntryLine[]; replace: EntryLine[]; remove: Hash[]; goneSeqs: number[] };
  /** Entries naming this block's previous root that the backup places in another damaged block: left to that block's repair. */
  leftToOtherBlocks: Hash[];
  leaves: { insert: Array<{ entryHash: Hash; leafIndex: number }>; remove: Hash[] };
  tiles: { insert: Array<[number, Uint8Array]>; replace: Array<[number, Uint8Array]>; remove: number[] };
}

const ENTRY_FIELDS = ["seq", "entryHash", "recordId", "kid", "kind", "prevRoot", "jws", "acceptedAt"] as const;
const sameEntry = (a: EntryLine, b: EntryLine) => ENTRY_FIELDS.every((field) => a[field] === b[field]);

/** The number of rows a plan changes. */
export function rowsChanged(plan: BlockRepairPlan): number {
  const { entries, leaves, tiles } = plan;
  return (
    (plan.header ? 1 : 0) +
    plan.displacedBlocks.length +
    entries.insert.length +
    entries.replace.length +
    entries.remove.length +
    leaves.insert.length +
    leaves.remove.length +
    tiles.insert.length +
    tiles.replace.length +
    tiles.remove.length
  );
}

/**
 * Compares the database with a vouched copy of block `h` and lists the rows to change. `ownerOf`
 * maps the entry hashes of every damaged block in the backup to their height, so that an entry moved
 * here from another damaged block is left for that block's repair instead of being removed.
 */
export async function planBlockRepair(db: Database, copy: VouchedBlock, ownerOf: ReadonlyMap<Hash, number>): Promise<BlockRepairPlan> {
  const { header, entries, tree } = copy;
  const height = header.height;
  const plan: BlockRepairPlan = {
    height,
    header: null,
    displacedBlocks: [],
    entries: { insert: [], replace: [], remove: [], goneSeqs: [] },
    leftToOtherBlocks: [],
    leaves: { insert: [], remove: [] },
    tiles: { insert: [], replace: [], remove: [] },
  };

  // The header, and any other row that holds this block's root.
  const blockRows = await queryRows<{ height: number; root: Hash; prev_root: Hash; entry_count: number; sealed_at: string }>(
    db,
    sql`select height, '0x' || encode(root, 'hex') as root, '0x' || encode(prev_root, 'hex') as prev_root, entry_count, ${instantText(sql`sealed_at`)} as sealed_at
        from blocks where height = ${height} or root = ${Buffer.from(hashToBytes(header.root))}`,
  );
  const own = blockRows.find((b) => Number(b.height) === height);
  if (!own) plan.header = "insert";
  else if (own.root !== header.root || own.prev_root !== header.prevRoot || Number(own.entry_count) !== header.entryCount || own.sealed_at !== header.sealedAt) plan.header = "update";
  plan.displacedBlocks = blockRows.filter((b) => Number(b.height) !== height).map((b) => Number(b.height));

  // Entries: the backup's, and every row that names this block's previous root.
  const expected = new Map(entries.map((e) => [e.entryHash, e]));
  const stored = new Map<Hash, EntryLine>();
  // Every stored row's seq by hash: a copy of an entry under another seq goes with it.
  const seqsOf = new Map<Hash, Set<number>>();
  const keep = (r: EntryRowText) => {
    stored.set(r.entry_hash, toEntryLine(r));
    seqsOf.set(r.entry_hash, (seqsOf.get(r.entry_hash) ?? new Set()).add(Number(r.seq)));
  };
  const hashes = [...expected.keys()];
  const CHUNK = 5_000;
  for (let i = 0; i < hashes.length; i += CHUNK) {
    const rows = await queryRows<EntryRowText>(db, sql`select ${entryTextColumns} from entries e where ${entryHashIn("e", hexHashSet(hashes.slice(i, i + CHUNK)))}`);
    for (const r of rows) keep(r);
  }
  const claimants = await queryRows<EntryRowText>(db, sql`select ${entryTextColumns} from entries e where ${namesRoot(sql`e.prev_root`, hashToBytes(header.prevRoot))}`);
  for (const r of claimants) keep(r);
  for (const [hash, want] of expected) {
    const have = stored.get(hash);
    if (!have) plan.entries.insert.push(want);
    else if (!sameEntry(have, want)) {
      plan.entries.replace.push(want);
      plan.entries.goneSeqs.push(...seqsOf.get(hash)!);
    }
  }
  for (const hash of stored.keys()) {
    if (expected.has(hash)) continue;
    const owner = ownerOf.get(hash);
    if (owner !== undefined && owner !== height) plan.leftToOtherBlocks.push(hash);
    else {
      plan.entries.remove.push(hash);
      plan.entries.goneSeqs.push(...seqsOf.get(hash)!);
    }
  }

  // Leaf positions: exactly the tree's sorted order.
  const sorted = sortedLeafHashes(copy.packed, tree);
  const wantLeaf = new Map<Hash, number>();
  for (let i = 0; i < sorted.length / 32; i++) wantLeaf.set(bytesToHex(sorted.subarray(i * 32, i * 32 + 32)), i);
  const haveLeaf = new Map<Hash, { height: number; leafIndex: number }>();
  const leafRows = (where: ReturnType<typeof sql>) =>
    queryRows<{ entry_hash: Hash; block_height: number; leaf_index: number }>(
      db,
      sql`select '0x' || encode(entry_hash, 'hex') as entry_hash, block_height, leaf_index from entry_leaves where ${where}`,
    );
  for (const r of await leafRows(sql`block_height = ${height}`)) haveLeaf.set(r.entry_hash, { height: Number(r.block_height), leafIndex: Number(r.leaf_index) });
  for (let i = 0; i < hashes.length; i += CHUNK) {
    for (const r of await leafRows(sql`entry_hash in ${hexHashSet(hashes.slice(i, i + CHUNK))}`)) haveLeaf.set(r.entry_hash, { height: Number(r.block_height), leafIndex: Number(r.leaf_index) });
  }
  for (const [hash, at] of haveLeaf) {
    if (wantLeaf.get(hash) !== at.leafIndex || at.height !== height) plan.leaves.remove.push(hash);
  }
  for (const [hash, leafIndex] of wantLeaf) {
    const at = haveLeaf.get(hash);
    if (!at || at.height !== height || at.leafIndex !== leafIndex) plan.leaves.insert.push({ entryHash: hash, leafIndex });
  }

  // Tree tiles.
  const storedTiles = await queryRows<{ tile: number; nodes: Uint8Array }>(db, sql`select tile, nodes from block_tree_tiles where height = ${height}`);
  const haveTile = new Map(storedTiles.map((t) => [Number(t.tile), new Uint8Array(t.nodes)]));
  const wantTiles = new Set<number>();
  for (const [tile, bytes] of tilesOfTree(tree.nodes)) {
    wantTiles.add(tile);
    const have = haveTile.get(tile);
    if (!have) plan.tiles.insert.push([tile, bytes]);
    else if (Buffer.compare(have, bytes) !== 0) plan.tiles.replace.push([tile, bytes]);
  }
  for (const tile of haveTile.keys()) if (!wantTiles.has(tile)) plan.tiles.remove.push(tile);
  return plan;
}

/**
 * Writes a plan inside the caller's transaction. It first names every row it will change or remove
 * in the transaction's `sealbook_repair_rows` and sets `sealbook.repair`; the append-only triggers
 * let exactly those rows through, and only until the transaction ends.
 */
export async function applyBlockRepair(tx: Database, copy: VouchedBlock, plan: BlockRepairPlan): Promise<void> {
  const { header } = copy;
  const h = header.height;
  await tx.execute(sql`select set_config('sealbook.repair', ${`block:${h}`}, true)`);
  await tx.execute(sql`create temp table if not exists sealbook_repair_rows (table_name text not null, row_key text not null, primary key (table_name, row_key)) on commit drop`);
  const allowed: Array<[string, string]> = [
    ...(plan.header === "update" ? [["blocks", String(h)] as [string, string]] : []),
    ...(plan.header === "insert" ? [["blocks", String(h)] as [string, string]] : []),
    ...plan.displacedBlocks.map((d): [string, string] => ["blocks", String(d)]),
    ...[...plan.entries.replace.map((e) => e.entryHash), ...plan.entries.remove].map((hash): [string, string] => ["entries", hash]),
    ...plan.leaves.remove.map((hash): [string, string] => ["entry_leaves", hash]),
    ...[...plan.tiles.replace.map(([t]) => t), ...plan.tiles.remove].map((t): [string, string] => ["block_tree_tiles", `${h}:${t}`]),
  ];
  if (allowed.length > 0) {
    await tx.execute(
      sql`insert into sealbook_repair_rows (table_name, row_key)
          select r.t, r.k from json_to_recordset(${JSON.stringify(allowed.map(([t, k]) => ({ t, k })))}::json) as r(t text, k text) on conflict do nothing`,
    );
  }

  // Removals first, so that what is put back meets no unique key still held by a wrong row.
  if (plan.displacedBlocks.length > 0) await tx.execute(sql`delete from blocks where height in (select unnest(${`{${plan.displacedBlocks.join(",")}}`}::int[]))`);
  const goneEntries = [...plan.entries.remove, ...plan.entries.replace.map((e) => e.entryHash)];
  if (goneEntries.length > 0) {
    // By seq, which names each row's partition: entries has no index on its hash (migration 0011).
    await tx.execute(sql`delete from entries where seq in (select unnest(${`{${plan.entries.goneSeqs.join(",")}}`}::bigint[])) and entry_hash in ${hexHashSet(goneEntries)}`);
  }
  if (plan.leaves.remove.length > 0) await tx.execute(sql`delete from entry_leaves where entry_hash in ${hexHashSet(plan.leaves.remove)}`);
  const goneTiles = [...plan.tiles.remove, ...plan.tiles.replace.map(([t]) => t)];
  if (goneTiles.length > 0) await tx.execute(sql`delete from block_tree_tiles where height = ${h} and tile in (select unnest(${`{${goneTiles.join(",")}}`}::int[]))`);

  if (plan.header === "update") {
    await tx.execute(
      sql`update blocks set root = ${Buffer.from(hashToBytes(header.root))}, prev_root = ${Buffer.from(hashToBytes(header.prevRoot))},
          entry_count = ${header.entryCount}, sealed_at = ${header.sealedAt}::timestamptz where height = ${h}`,
    );
  } else if (plan.header === "insert") {
    await tx.execute(
      sql`insert into blocks (height, root, prev_root, entry_count, sealed_at)
          values (${h}, ${Buffer.from(hashToBytes(header.root))}, ${Buffer.from(hashToBytes(header.prevRoot))}, ${header.entryCount}, ${header.sealedAt}::timestamptz)`,
    );
  }
  await insertEntryLines(tx, [...plan.entries.insert, ...plan.entries.replace]);
  if (plan.leaves.insert.length > 0) {
    await tx.execute(
      sql`insert into entry_leaves (entry_hash, block_height, leaf_index)
          select decode(substr(r.h, 3), 'hex'), ${h}::int, r.i
          from json_to_recordset(${JSON.stringify(plan.leaves.insert.map((l) => ({ h: l.entryHash, i: l.leafIndex })))}::json) as r(h text, i int)`,
    );
  }
  const newTiles = [...plan.tiles.insert, ...plan.tiles.replace];
  if (newTiles.length > 0) await insertTiles(tx, h, newTiles.map(([t]) => t), newTiles.map(([, bytes]) => bytes));
  // The block's derived data is whole again: mark it so (a block put back had none).
  await tx.execute(sql`insert into block_derived (height) values (${h}) on conflict (height) do nothing`);
}
