/**
 * `sealbook archive --below H` (issue 17): takes the partitions that hold only blocks below H out
 * of the ledger's tables, once every such block is published as mirror files that match it and its
 * root is anchored. From then on proofs and the audit read those blocks from the files
 * (./archived-blocks.ts), and check them against the sealed headers, which stay, as do the leaf
 * positions (the index by which a proof finds an archived entry's block) and the anchors.
 *
 * What is archived: the partitions of `entries` (by seq) whose every row belongs to a block below H,
 * and those of `block_tree_tiles` (by height) that end at or below H. A detached partition is kept,
 * as a table of its own in the schema `sealbook_archive`: the records' JWS are in it and nowhere in
 * the files (which hold hashes only), so the operator dumps it to cold storage before dropping it.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { listPartitions, type Partition } from "../../db/partitions";
import type { MirrorReader } from "../protocol/mirror";
import { archivedBelow, checkArchivedBlock } from "./archived-blocks";
import type { LedgerContext } from "./context";
import { readHead } from "./head";

/** Why the archive was refused: what is missing, with the heights, and what to do. Nothing was changed. */
export class ArchiveRefusedError extends Error {
  constructor(
    message: string,
    readonly heights: number[] = [],
  ) {
    super(message);
    this.name = "ArchiveRefusedError";
  }
}

export interface ArchiveProgress {
  phase: "anchors" | "files" | "partitions" | "detach";
  done: number;
  total: number;
}

export interface ArchiveResult {
  below: number;
  /** Blocks whose files were checked in this run (those below `below` not archived before). */
  checked: number;
  detached: Array<Pick<Partition, "table" | "name" | "lower" | "upper">>;
}

/** A list of heights for a message: the first few, and how many more. */
function someHeights(heights: number[]): string {
  const shown = heights.slice(0, 5).join(", ");
  return heights.length > 5 ? `${shown} and ${heights.length - 5} more` : shown;
}

/**
 * Archives the blocks below `below`: checks that each is anchored (a confirmed anchor) and
 * published (its files in `read` verify and are the sealed block), then detaches the partitions
 * that hold nothing else and records the archive line. Refuses with ArchiveRefusedError, changing
 * nothing, when a block is not anchored, not published, or its files do not match.
 * Requires 2 <= below <= head + 1 and below at or above the current archive line.
 */
export async function archiveBlocksBelow(ctx: LedgerContext, read: MirrorReader | undefined, below: number, onProgress: (p: ArchiveProgress) => void = () => {}): Promise<ArchiveResult> {
  const head = await readHead(ctx.db, ctx.genesisRoot);
  if (!Number.isInteger(below) || below < 2 || below > head.height + 1) {
    throw new ArchiveRefusedError(`--below must be a block height from 2 to ${head.height + 1} (the head is ${head.height}), not ${below}.`);
  }
  const line = await archivedBelow(ctx.db);
  if (below < line) throw new ArchiveRefusedError(`Blocks below ${line} are archived already; an archive line only moves up.`);
  if (!read) throw new ArchiveRefusedError("Archived blocks are served from their published files: set SEALBOOK_PUBLISH_DIR (or give --dir) to the directory `sealbook publish` writes.");

  onProgress({ phase: "anchors", done: 0, total: below - 1 });
  const unanchored = await heightsWhere(ctx.db, sql`b.height < ${below} and not exists (select 1 from anchors a where a.height = b.height and a.status = 'confirmed')`);
  if (unanchored.length > 0) {
    throw new ArchiveRefusedError(`Block${unanchored.length > 1 ? "s" : ""} ${someHeights(unanchored)} ${unanchored.length > 1 ? "are" : "is"} not anchored (no confirmed anchor): run \`sealbook anchor\` and archive once the roots are on chain.`, unanchored);
  }
  const underived = await heightsWhere(ctx.db, sql`b.height < ${below} and not exists (select 1 from block_derived d where d.height = b.height)`);
  if (underived.length > 0) throw new ArchiveRefusedError(`Block${underived.length > 1 ? "s" : ""} ${someHeights(underived)} still lack their leaf positions and tree: let the seal complete them, then archive.`, underived);

  const first = Math.max(line, 1);
  const unpublished: number[] = [];
  const mismatched: string[] = [];
  for (let height = first; height < below; height++) {
    onProgress({ phase: "files", done: height - first, total: below - first });
    if (!(await read(`blocks/${height}/header.json`))) {
      unpublished.push(height);
      continue;
    }
    const problem = await checkArchivedBlock(ctx.db, read, height);
    if (problem) mismatched.push(problem);
  }
  if (unpublished.length > 0) {
    throw new ArchiveRefusedError(`Block${unpublished.length > 1 ? "s" : ""} ${someHeights(unpublished)} ${unpublished.length > 1 ? "are" : "is"} not published: run \`sealbook publish\`, then archive.`, unpublished);
  }
  if (mismatched.length > 0) throw new ArchiveRefusedError(`The published files do not match the ledger, so nothing was archived: ${mismatched.slice(0, 3).join(" ")}`);

  return ctx.db.transaction(async (tx) => {
    // No entry is written while the partitions are chosen and detached: one that was being written
    // into a partition about to be detached lands before the check, and keeps it attached.
    await tx.execute(sql`lock table entries in share mode`);
    onProgress({ phase: "partitions", done: 0, total: 0 });
    const detachable = await partitionsBelow(tx, below);
    let done = 0;
    // The operator may have dropped the schema after dumping what an earlier run put there.
    if (detachable.length > 0) await tx.execute(sql`create schema if not exists sealbook_archive`);
    for (const partition of detachable) {
      onProgress({ phase: "detach", done: done++, total: detachable.length });
      // Holds an ACCESS EXCLUSIVE lock on the table for the rest of this short transaction.
      await tx.execute(sql.raw(`alter table "${partition.table}" detach partition "${partition.name}"`));
      await tx.execute(sql.raw(`alter table "${partition.name}" set schema sealbook_archive`));
    }
    await tx.execute(sql`insert into ledger_archive (below, partitions) values (${below}, ${`{${detachable.map((p) => p.name).join(",")}}`}::text[])`);
    return { below, checked: below - first, detached: detachable.map(({ table, name, lower, upper }) => ({ table, name, lower, upper })) };
  });
}

async function heightsWhere(db: Database, condition: ReturnType<typeof sql>): Promise<number[]> {
  const rows = await queryRows<{ height: number }>(db, sql`select b.height from blocks b where ${condition} order by b.height`);
  return rows.map((r) => Number(r.height));
}

/**
 * The partitions that hold nothing of block `below` or later: tile partitions that end at or below
 * it, and entry partitions whose whole range has been handed out (a later seq exists) and whose
 * every row names the prevRoot of a block below it. Checking the rows, not assuming that seqs follow
 * blocks, costs one scan of each candidate partition.
 */
async function partitionsBelow(db: Database, below: number): Promise<Partition[]> {
  const [{ last }] = await queryRows<{ last: string | number | null }>(db, sql`select pg_sequence_last_value(pg_get_serial_sequence('entries', 'seq')) as last`);
  const lastSeq = Number(last ?? 0);
  const found: Partition[] = [];
  for (const partition of await listPartitions(db)) {
    if (partition.upper === null) continue;
    if (partition.table === "block_tree_tiles" && partition.upper <= below) found.push(partition);
    if (partition.table === "entries" && partition.upper - 1 <= lastSeq) {
      const [{ only_below }] = await queryRows<{ only_below: boolean }>(
        db,
        sql`select not exists (
              select 1 from ${sql.raw(`"${partition.name}"`)} e
              where not exists (select 1 from blocks b where b.prev_root = e.prev_root and b.height < ${below})) as only_below`,
      );
      if (only_below) found.push(partition);
    }
  }
  return found;
}
