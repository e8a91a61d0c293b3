/**
 * Blocks below the archive line (`sealbook archive --below H`, ./archive.ts) are read from their
 * published mirror files, not from the database: their entries and tree tiles may be gone from it.
 * Their headers, leaf positions and anchors stay in the database, and are what the files are
 * checked against: a file is trusted for nothing, and a changed file is named, never served.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { hasUnkeyedEntries, type EntryKey } from "../../db/entry-keys";
import { bytesToHex, hashToBytes, type Hash } from "../protocol/hex";
import { MirrorError, proofBundleFromMirror, verifyMirrorBlock, type MirrorHeader, type MirrorReader } from "../protocol/mirror";
import { verifyProof } from "../protocol/proof";
import type { ProofBundle } from "../protocol/wire/proof-bundle";
import type { LedgerContext } from "./context";

/** The archive line in SQL: blocks below this height are served from their files (0 when nothing is archived). */
const ARCHIVED_BELOW_SQL = sql`(select coalesce(max(below), 0) from ledger_archive)`;

/** The archive line: blocks below this height are served from their files (0 when nothing is archived). */
export async function archivedBelow(db: Database): Promise<number> {
  const [row] = await queryRows<{ below: number | string }>(db, sql`select ${ARCHIVED_BELOW_SQL} as below`);
  return Number(row.below);
}

/** The reader of the published files, or an error saying how to provide one. */
export function archiveReader(ctx: LedgerContext, height: number): MirrorReader {
  if (!ctx.archive) {
    throw new Error(`Block ${height} is archived: its entries and tree are read from the published files, and SEALBOOK_PUBLISH_DIR is not set. Set it to the directory \`sealbook publish\` writes.`);
  }
  return ctx.archive;
}

/** A block's header as the database holds it, with its leaf list in leaf order (packed, 32 bytes each). */
interface StoredBlock {
  height: number;
  root: Hash;
  prevRoot: Hash;
  entryCount: number;
  leaves: Uint8Array;
}

async function readStoredBlock(db: Database, height: number): Promise<StoredBlock> {
  const [row] = await queryRows<{ root: Uint8Array; prev_root: Uint8Array; entry_count: number; leaves: Uint8Array | null }>(
    db,
    sql`select b.root, b.prev_root, b.entry_count,
               (select string_agg(l.entry_hash, ''::bytea order by l.leaf_index) from entry_leaves l where l.block_height = b.height) as leaves
        from blocks b where b.height = ${height}`,
  );
  if (!row) throw new Error(`Block ${height} does not exist.`);
  return {
    height,
    root: bytesToHex(row.root),
    prevRoot: bytesToHex(row.prev_root),
    entryCount: Number(row.entry_count),
    leaves: row.leaves ? new Uint8Array(row.leaves) : new Uint8Array(0),
  };
}

/**
 * Checks block `height`'s published files against the database: `verifyMirrorBlock` (the entry
 * list gives the header's root, and tree.bin is exactly that tree), then the header against the
 * sealed (and anchored) header, and the entry list against the leaf positions. Returns what is
 * wrong, in words, or null when the files are the block. Reading errors other than a bad file throw.
 */
export async function checkArchivedBlock(db: Database, read: MirrorReader, height: number): Promise<string | null> {
  const stored = await readStoredBlock(db, height);
  let header: MirrorHeader;
  try {
    header = await verifyMirrorBlock(read, height);
  } catch (error) {
    if (error instanceof MirrorError) return `${error.message}${error.expected ? ` (expected ${error.expected}, found ${error.computed})` : ""}`;
    throw error;
  }
  if (header.root !== stored.root) return `The published header of block ${height} gives root ${header.root}, but the sealed block's root is ${stored.root}.`;
  if (header.prevRoot !== stored.prevRoot || header.entryCount !== stored.entryCount) {
    return `The published header of block ${height} names prevRoot ${header.prevRoot} and ${header.entryCount} entries; the sealed block names ${stored.prevRoot} and ${stored.entryCount}.`;
  }
  const published = await read(`blocks/${height}/entries.bin`);
  if (!published || Buffer.compare(Buffer.from(published), Buffer.from(stored.leaves)) !== 0) {
    return `The published entry list of block ${height} is not the block's leaf list in the database.`;
  }
  return null;
}

/**
 * The proof bundle of `entryHash` in archived block `height`, read from the published files and
 * checked before it is answered: the file's header must be the sealed block's, and the proof must
 * lead from the entry to the sealed root. Throws, naming the file, when they do not.
 */
export async function proofFromArchive(ctx: LedgerContext, entryHash: Hash, height: number, anchor: ProofBundle["anchor"]): Promise<ProofBundle> {
  const read = archiveReader(ctx, height);
  const stored = await readStoredBlock(ctx.db, height);
  const bundle = await proofBundleFromMirror(read, entryHash, { height, headHeight: height });
  if (!bundle) throw new Error(`Block ${height} is archived and lists entry ${entryHash}, but its published entry list does not: the files were changed. Run \`sealbook audit\`.`);
  const { block } = bundle;
  if (block.root !== stored.root || block.prevRoot !== stored.prevRoot || block.entryCount !== stored.entryCount) {
    throw new Error(`The published header of archived block ${height} (root ${block.root}) is not the sealed block's (root ${stored.root}): the files were changed. Run \`sealbook audit\`.`);
  }
  verifyProof(stored.root, entryHash, bundle.proof);
  return { ...bundle, ledgerId: ctx.ledgerId, anchor };
}

/**
 * Where archived entry `entryHash` sits, from the leaf positions that stay in the database; null when
 * no archived block lists it. `keys` are its keys (db/entry-keys.ts), whose heights name the blocks
 * to look in; entries archived before their keys had hashes are looked up in every archived block.
 */
export async function archivedEntryPosition(db: Database, entryHash: Hash, keys: EntryKey[]): Promise<{ height: number; leafIndex: number } | null> {
  const hash = Buffer.from(hashToBytes(entryHash));
  const below = await archivedBelow(db);
  for (const { height } of keys) {
    if (height === null || height >= below) continue;
    const [row] = await queryRows<{ leaf_index: number }>(db, sql`select leaf_index from entry_leaves where block_height = ${height} and entry_hash = ${hash}`, { plan: "generic" });
    if (row) return { height, leafIndex: Number(row.leaf_index) };
  }
  if (below === 0 || !(await hasUnkeyedEntries(db))) return null;
  const [row] = await queryRows<{ block_height: number; leaf_index: number }>(
    db,
    sql`select block_height, leaf_index from entry_leaves where entry_hash = ${hash} and block_height < ${below} limit 1`,
  );
  return row ? { height: Number(row.block_height), leafIndex: Number(row.leaf_index) } : null;
}
