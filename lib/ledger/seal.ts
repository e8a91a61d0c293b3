import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { ensureLedgerPartitions } from "../../db/partitions";
import { namesRoot } from "../../db/root-key";
import { bytesToHex, hashToBytes, type Hash } from "../protocol/hex";
import type { BlockTree } from "../protocol/merkle";
import { metrics, secondsSince } from "../observability/metrics";
import type { LedgerContext } from "./context";
import { completeDerivedData, writeDerivedData, writeDerivedRows } from "./derived";
import { lockLedger, readHead } from "./head";
import { buildTreeFromLeaves, buildTreeFromPacked, leavesFromPacked } from "./tree";

/** A block header (PROTOCOL §3). */
export interface BlockHeader {
  height: number;
  root: Hash;
  prevRoot: Hash;
  entryCount: number;
  sealedAt: Date;
}

/** A header to write: `sealedAt` is a Date when sealed here, or a backup's exact text (to the microsecond). */
export type BlockHeaderToWrite = Omit<BlockHeader, "sealedAt"> & { sealedAt: Date | string };

export interface SealProgress {
  /** Under the ledger lock: collect, tree (build it, write the header). After it: committed, leaves, tiles, done. */
  phase: "repair" | "collect" | "tree" | "committed" | "leaves" | "tiles" | "done";
  done: number;
  total: number;
}

export interface SealOptions {
  onProgress?: (progress: SealProgress) => void;
  /** Seams for fault-injection tests. Production code passes none. */
  hooks?: {
    /** Runs after the header is committed and before the derived data is written; throwing here is a crash in that window. */
    afterHeader?: (block: BlockHeader) => void | Promise<void>;
  };
}

/**
 * Seals every entry pending against the head root into block head+1. Under the ledger lock it
 * only decides the block: collects the pending entries, builds the tree and commits the header
 * (entries are never touched: an entry is in block h because it names root(h-1)). Then, with the
 * lock released so that submissions flow again, it writes the derived data (each entry's leaf
 * position and the tree tiles proofs read; lib/ledger/derived.ts). Blocks left without derived
 * data by an earlier crash are completed first.
 * Returns the new header, or null when nothing is pending (a block is never empty).
 * Concurrent sealers produce one block: the second waits on the ledger lock, then finds nothing.
 */
export async function sealPendingEntries(ctx: LedgerContext, options: SealOptions = {}): Promise<BlockHeader | null> {
  const progress = options.onProgress ?? (() => {});
  const startedAt = performance.now();
  const repaired = await completeDerivedData(ctx, (height, p) => progress({ phase: "repair", done: p.done, total: p.total }));
  if (repaired.length > 0) progress({ phase: "repair", done: repaired.length, total: repaired.length });
  // Read what is pending now before taking the lock: under it, only a count and the entries
  // accepted since are read (submissions wait for the lock, so this keeps their wait short).
  const early = await readHead(ctx.db, ctx.genesisRoot);
  const before = await collectPending(ctx.db, early.root, null);
  const beforeLeaves = leavesFromPacked(before.packed);
  let lockedAt = startedAt;
  let stall = 0;
  const sealed = await ctx.db.transaction(async (tx) => {
    await lockLedger(tx, ctx.ledgerId, "update");
    lockedAt = performance.now();
    const head = await readHead(tx, ctx.genesisRoot);
    progress({ phase: "collect", done: 0, total: 0 });
    let packed: Uint8Array;
    let leavesReady: Uint8Array | null = null;
    const [seen] =
      head.root === early.root && before.count > 0
        ? await queryRows<{ n: string | number }>(
            tx,
            sql`select count(*) as n from entries where ${namesRoot(sql`prev_root`, hashToBytes(head.root))} and seq <= ${before.lastSeq}`,
          )
        : [{ n: -1 }];
    if (Number(seen.n) === before.count) {
      // Nothing committed late below the last seq read: add the entries accepted since.
      const rest = await collectPending(tx, head.root, before.lastSeq);
      packed = new Uint8Array(before.packed.length + rest.packed.length);
      packed.set(before.packed);
      packed.set(rest.packed, before.packed.length);
      leavesReady = beforeLeaves;
    } else {
      packed = (await collectPending(tx, head.root, null)).packed;
    }
    if (packed.length === 0) return null;
    const count = packed.length / 32;

    progress({ phase: "tree", done: 0, total: count });
    // The leaves of what was read before the lock are ready: only the late entries are hashed here.
    const tree = leavesReady ? buildTreeFromLeaves(leavesReady, packed.subarray(leavesReady.length)) : buildTreeFromPacked(packed);
    const height = head.height + 1;
    const sealedAt = ctx.now();
    await tx.execute(
      sql`insert into blocks (height, root, prev_root, entry_count, sealed_at)
          values (${height}, ${Buffer.from(hashToBytes(tree.root))}, ${Buffer.from(hashToBytes(head.root))}, ${count}, ${sealedAt.toISOString()}::timestamptz)`,
    );
    const header: BlockHeader = { height, root: tree.root, prevRoot: head.root, entryCount: count, sealedAt };
    return { header, packed, tree };
  });
  stall = performance.now() - lockedAt;
  if (!sealed) return null;
  const { header } = sealed;
  progress({ phase: "committed", done: 0, total: header.entryCount });
  await options.hooks?.afterHeader?.(header);
  await writeDerivedData(ctx, header.height, sealed, (p) => progress(p));
  progress({ phase: "done", done: header.entryCount, total: header.entryCount });
  const m = metrics();
  m.sealSeconds.observe(secondsSince(startedAt));
  m.sealStallSeconds.observe(stall / 1000);
  m.sealEntries.observe(header.entryCount);
  m.headHeight.set(header.height);
  return header;
}

/**
 * Writes a whole block in the caller's transaction: its header, then its derived data (leaf
 * positions, tiles and the `block_derived` row) from `tree`, the tree of `packed` (the block's
 * entry hashes, 32 bytes apiece, in seq order). Restoring a backup writes blocks through here.
 * Requires `header.root === tree.root`; the database refuses a header that does not extend the head.
 */
export async function writeSealedBlock(tx: Database, header: BlockHeaderToWrite, packed: Uint8Array, tree: BlockTree): Promise<void> {
  if (header.root !== tree.root) throw new Error(`Block ${header.height}: the header's root ${header.root} is not its tree's root ${tree.root}.`);
  const sealedAt = typeof header.sealedAt === "string" ? header.sealedAt : header.sealedAt.toISOString();
  // A restore writes blocks far past the partitions a fresh database starts with.
  await ensureLedgerPartitions(tx, { height: header.height });
  await tx.execute(
    sql`insert into blocks (height, root, prev_root, entry_count, sealed_at)
        values (${header.height}, ${Buffer.from(hashToBytes(tree.root))}, ${Buffer.from(hashToBytes(header.prevRoot))}, ${header.entryCount}, ${sealedAt}::timestamptz)`,
  );
  await writeDerivedRows(tx, header.height, packed, tree);
}

/**
 * The hashes of the entries naming `prevRoot`, packed 32 bytes apiece in seq order, with their
 * count and the last seq; only those after seq `after` when given.
 */
async function collectPending(db: Database, prevRoot: Hash, after: number | null): Promise<{ packed: Uint8Array; count: number; lastSeq: number }> {
  const [row] = await queryRows<{ n: string | number; last: string | number | null; hashes: Uint8Array | null }>(
    db,
    sql`select count(*) as n, max(seq) as last, string_agg(entry_hash, ''::bytea order by seq) as hashes
        from entries where ${namesRoot(sql`prev_root`, hashToBytes(prevRoot))} ${after === null ? sql`` : sql`and seq > ${after}`}`,
  );
  const packed = row?.hashes ? new Uint8Array(row.hashes.buffer, row.hashes.byteOffset, row.hashes.byteLength) : new Uint8Array(0);
  return { packed, count: Number(row?.n ?? 0), lastSeq: Number(row?.last ?? 0) };
}

/** Reads a block header, or null. */
export function toBlockHeader(row: { height: number; root: Uint8Array; prev_root: Uint8Array; entry_count: number; sealed_at: Date | string }): BlockHeader {
  return {
    height: Number(row.height),
    root: bytesToHex(row.root),
    prevRoot: bytesToHex(row.prev_root),
    entryCount: Number(row.entry_count),
    sealedAt: new Date(row.sealed_at),
  };
}
