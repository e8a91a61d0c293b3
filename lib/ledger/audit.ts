import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { signers as signersTable } from "../../db/schema";
import { namesRoot } from "../../db/root-key";
import { ProtocolError } from "../protocol/errors";
import { entryHashOf } from "../protocol/hash";
import { bytesToHex, hashToBytes, type Hash } from "../protocol/hex";
import { decodeRecord, type RecordAlg } from "../protocol/record";
import { tilesOfTree } from "../protocol/tiles";
import type { LedgerContext } from "./context";
import { buildTreeFromPacked } from "./tree";
import { metrics } from "../observability/metrics";

/** What the audit can find wrong. Each finding names the block height and/or entry hash. */
export type FindingCode =
  | "block_missing"
  | "block_prev_root_mismatch"
  | "block_root_mismatch"
  | "block_entry_count_mismatch"
  | "block_tiles_mismatch"
  | "entry_hash_mismatch"
  | "entry_invalid"
  | "entry_fields_mismatch"
  | "entry_prev_root_mismatch"
  | "entry_signer_invalid"
  | "entry_bad_signature"
  | "entry_leaf_index_mismatch"
  | "entry_missing"
  | "entry_not_in_tree"
  | "duplicate_entry"
  | "orphan_entry"
  | "orphan_tiles"
  | "stranded_pending_entry"
  | "chain_root_mismatch"
  | "chain_unreachable";

export interface AuditFinding {
  code: FindingCode;
  height?: number;
  entryHash?: Hash;
  message: string;
}

export interface AuditProgress {
  blocksDone: number;
  blocksTotal: number;
  entriesDone: number;
  entriesTotal: number;
}

export interface AuditReport {
  ok: boolean;
  ledgerId: string;
  head: number;
  checked: { blocks: number; entries: number; pending: number };
  /**
   * Sealed blocks whose leaf positions and tree are not written yet (a seal in progress, or one a
   * crash interrupted; the next start or seal completes them). Their entries, root and count are
   * checked; their leaf list and tiles are checked once written.
   */
  derivedPending: number[];
  findings: AuditFinding[];
  startedAt: string;
  finishedAt: string;
}

export interface AuditOptions {
  onProgress?: (progress: AuditProgress) => void;
  /** Compares each block root with an independent source (the chain); returns the finding to report, if any. */
  checkRoot?: (height: number, root: Hash) => Promise<AuditFinding | null>;
}

type EntryRow = {
  entry_hash: Uint8Array;
  record_id: string;
  kid: string;
  kind: string;
  prev_root: Uint8Array;
  jws: string;
  accepted_at: Date | string;
};

type Block = { height: number; root: Hash; prevRoot: Hash; entryCount: number; derived: boolean };

const PAGE = 5_000;
const entryColumns = sql`e.entry_hash, e.record_id::text as record_id, e.kid, e.kind, e.prev_root, e.jws, e.accepted_at`;

/**
 * Re-verifies the whole ledger from the database alone (issue "Ledger core", Audit): every entry
 * hash against its JWS, every signature under its signer's key as valid at acceptance, every
 * prevRoot link, every block root recomputed from its entries (block h holds exactly the entries
 * naming root(h-1)), the published leaf list and the stored tree tiles, the chain of blocks, the
 * counts, and orphans and duplicates. It never stops at the first finding.
 */
export async function auditLedger(ctx: LedgerContext, options: AuditOptions = {}): Promise<AuditReport> {
  const startedAt = new Date().toISOString();
  const findings: AuditFinding[] = [];
  const report = (f: AuditFinding) => findings.push(f);
  const { db } = ctx;

  const blockRows = await queryRows<{ height: number; root: Uint8Array; prev_root: Uint8Array; entry_count: number; derived: boolean }>(
    db,
    sql`select b.height, b.root, b.prev_root, b.entry_count, exists (select 1 from block_derived d where d.height = b.height) as derived
        from blocks b order by b.height`,
  );
  const blocks: Block[] = blockRows.map((b) => ({
    height: Number(b.height),
    root: bytesToHex(b.root),
    prevRoot: bytesToHex(b.prev_root),
    entryCount: Number(b.entry_count),
    derived: Boolean(b.derived),
  }));
  const byHeight = new Map(blocks.map((b) => [b.height, b]));
  const head = blocks.length > 0 ? blocks[blocks.length - 1].height : 0;
  const headRoot = head > 0 ? byHeight.get(head)!.root : ctx.genesisRoot;
  const [{ n: totalRaw }] = await queryRows<{ n: string | number }>(db, sql`select count(*) as n from entries`);
  const entriesTotal = Number(totalRaw);

  // The chain of blocks: consecutive heights from 1, each naming its predecessor's root.
  for (let h = 1; h <= head; h++) {
    const block = byHeight.get(h);
    if (!block) {
      report({ code: "block_missing", height: h, message: `Block ${h} is missing: heights must run 1…${head} without a gap.` });
      continue;
    }
    const expected = h === 1 ? ctx.genesisRoot : byHeight.get(h - 1)?.root;
    if (expected && block.prevRoot !== expected) {
      report({
        code: "block_prev_root_mismatch",
        height: h,
        message: `Block ${h} names prevRoot ${block.prevRoot}, but ${h === 1 ? "the genesis root" : `block ${h - 1}'s root`} is ${expected}.`,
      });
    }
  }

  const signerRows = await db.select().from(signersTable);
  const signerByKid = new Map(signerRows.map((s) => [s.kid, s]));
  const seenIds = new Map<string, Hash>();
  const checkedEntries = new Set<Hash>();
  let entriesDone = 0;
  let blocksDone = 0;
  const progress = () => options.onProgress?.({ blocksDone, blocksTotal: blocks.length, entriesDone, entriesTotal });

  /** Checks one stored record on its own: hash, form, stored fields, signer validity, signature. */
  const checkEntry = async (row: EntryRow, height: number | undefined): Promise<void> => {
    const entryHash = bytesToHex(row.entry_hash);
    const where = { height, entryHash };
    if (checkedEntries.has(entryHash)) {
      report({ code: "duplicate_entry", ...where, message: `Entry ${entryHash} appears more than once.` });
      return;
    }
    checkedEntries.add(entryHash);
    entriesDone++;
    const computed = entryHashOf(row.jws);
    if (computed !== entryHash) {
      report({ code: "entry_hash_mismatch", ...where, message: `Entry ${entryHash}: its JWS hashes to ${computed}; the record was altered.` });
    }
    let decoded;
    try {
      decoded = decodeRecord(row.jws);
    } catch (error) {
      report({ code: "entry_invalid", ...where, message: `Entry ${entryHash}: the stored JWS is not a valid record (${(error as Error).message}).` });
      return;
    }
    const recordId = decoded.payload.id.toLowerCase();
    const firstWithId = seenIds.get(recordId);
    if (firstWithId && firstWithId !== entryHash) {
      report({ code: "duplicate_entry", ...where, message: `Entry ${entryHash} repeats record id ${recordId}, already in entry ${firstWithId}.` });
    }
    seenIds.set(recordId, entryHash);
    if (decoded.payload.prevRoot !== bytesToHex(row.prev_root) || recordId !== row.record_id || decoded.payload.kind !== row.kind || decoded.header.kid !== row.kid) {
      report({ code: "entry_fields_mismatch", ...where, message: `Entry ${entryHash}: the stored columns (id, kind, kid, prevRoot) differ from its signed payload.` });
    }
    const signer = signerByKid.get(decoded.header.kid);
    const acceptedAt = new Date(row.accepted_at);
    if (!signer) {
      report({ code: "entry_signer_invalid", ...where, message: `Entry ${entryHash} is signed by ${decoded.header.kid}, which is not in the signer directory.` });
      return;
    }
    if (signer.validFrom > acceptedAt || (signer.revokedAt && signer.revokedAt <= acceptedAt) || signer.alg !== decoded.header.alg) {
      report({
        code: "entry_signer_invalid",
        ...where,
        message: `Entry ${entryHash} was accepted at ${acceptedAt.toISOString()} under key ${signer.kid}, which was not valid for ${decoded.header.alg} then.`,
      });
    }
    try {
      await ctx.keys.verifyJws(row.jws, signer.kid, signer.publicJwk, signer.alg as RecordAlg);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      report({ code: "entry_bad_signature", ...where, message: `Entry ${entryHash}: the signature does not verify under key ${signer.kid}.` });
    }
  };

  for (const block of blocks) {
    await auditBlock(ctx, block, checkEntry, report, () => progress());
    if (options.checkRoot) {
      const finding = await options.checkRoot(block.height, block.root);
      if (finding) report(finding);
    }
    blocksDone++;
    progress();
  }

  // Leaf rows that point at no block: what is left of a deleted block.
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

  // Entries that no block holds: pending ones must name the head root, or they can never be sealed.
  let pending = 0;
  for (let from = -1; ; ) {
    const rows = await queryRows<EntryRow & { seq: number }>(
      db,
      sql`select e.seq, ${entryColumns} from entries e
          where e.seq > ${from} and e.prev_root not in (select prev_root from blocks)
          order by e.seq limit ${PAGE}`,
    );
    await Promise.all(rows.map((row) => checkEntry(row, undefined)));
    for (const row of rows) {
      const prevRoot = bytesToHex(row.prev_root);
      const entryHash = bytesToHex(row.entry_hash);
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

  const m = metrics();
  m.auditRuns.inc({ result: findings.length === 0 ? "clean" : "findings" });
  for (const finding of findings) m.auditFindings.inc({ code: finding.code });
  return {
    ok: findings.length === 0,
    ledgerId: ctx.ledgerId,
    head,
    checked: { blocks: blocks.length, entries: entriesDone, pending },
    derivedPending: blocks.filter((b) => !b.derived).map((b) => b.height),
    findings,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

/**
 * Audits one block. Its members by the protocol are the entries naming its prevRoot; its published
 * list is its leaf rows. Both must hold the same entries, and both must give the block's root.
 */
async function auditBlock(
  ctx: LedgerContext,
  block: Block,
  checkEntry: (row: EntryRow, height: number) => Promise<void>,
  report: (f: AuditFinding) => void,
  progress: () => void,
): Promise<void> {
  const { db } = ctx;
  const { height } = block;
  const prevRootBytes = Buffer.from(hashToBytes(block.prevRoot));
  const leafHashes: Uint8Array[] = [];
  const memberHashes: Uint8Array[] = [];
  let expectedLeaf = 0;
  let leafOrderReported = false;

  // The published list, in leaf order, with each entry's record.
  type LeafRow = EntryRow & { leaf_hash: Uint8Array; leaf_index: number; has_entry: boolean };
  const readPage = (from: number): Promise<LeafRow[]> => {
    const read = queryRows<LeafRow>(
      db,
      sql`select l.entry_hash as leaf_hash, l.leaf_index, e.entry_hash is not null as has_entry, ${entryColumns}
          from entry_leaves l left join entries e on e.entry_hash = l.entry_hash
          where l.block_height = ${height} and l.leaf_index > ${from}
          order by l.leaf_index limit ${PAGE}`,
    );
    // Awaited below; this only keeps a failed read from being reported as unhandled while a page is checked.
    read.catch(() => undefined);
    return read;
  };
  // A block whose derived data is not written yet is checked from its members alone (below).
  for (let next: Promise<LeafRow[]> | null = block.derived ? readPage(-1) : null; next !== null; ) {
    const rows: LeafRow[] = await next;
    // The next page is read while this one is checked: PostgreSQL and the checks use different cores.
    next = rows.length === PAGE ? readPage(Number(rows[rows.length - 1].leaf_index)) : null;
    await Promise.all(rows.filter((r) => r.has_entry).map((row) => checkEntry(row, height)));
    for (const row of rows) {
      const entryHash = bytesToHex(row.leaf_hash);
      if (Number(row.leaf_index) !== expectedLeaf && !leafOrderReported) {
        report({ code: "entry_leaf_index_mismatch", height, entryHash, message: `Block ${height}: expected leaf ${expectedLeaf}, found leaf ${row.leaf_index}.` });
        leafOrderReported = true;
      }
      expectedLeaf = Number(row.leaf_index) + 1;
      leafHashes.push(new Uint8Array(row.leaf_hash));
      if (!row.has_entry) {
        report({ code: "entry_missing", height, entryHash, message: `Block ${height} lists entry ${entryHash}, but that record is gone from the ledger.` });
      } else if (bytesToHex(row.prev_root) !== block.prevRoot) {
        report({
          code: "entry_prev_root_mismatch",
          height,
          entryHash,
          message: `Entry ${entryHash} is listed in block ${height}, but it names prevRoot ${bytesToHex(row.prev_root)}, not the block's ${block.prevRoot}.`,
        });
      } else {
        memberHashes.push(new Uint8Array(row.leaf_hash));
      }
    }
    progress();
  }

  // Entries that name this block's prevRoot but are not in its published list (all of them, while it has none).
  const extras = await queryRows<EntryRow>(
    db,
    sql`select ${entryColumns} from entries e left join entry_leaves l on l.entry_hash = e.entry_hash and l.block_height = ${height}
        where ${namesRoot(sql`e.prev_root`, prevRootBytes)} ${block.derived ? sql`and l.entry_hash is null` : sql``}`,
  );
  await Promise.all(extras.map((row) => checkEntry(row, height)));
  for (const row of extras) {
    const entryHash = bytesToHex(row.entry_hash);
    if (block.derived) {
      report({ code: "entry_not_in_tree", height, entryHash, message: `Entry ${entryHash} names block ${height}'s previous root, so it belongs in block ${height}, but the block does not list it.` });
    }
    memberHashes.push(new Uint8Array(row.entry_hash));
  }

  if (memberHashes.length !== block.entryCount || (block.derived && leafHashes.length !== block.entryCount)) {
    report({
      code: "block_entry_count_mismatch",
      height,
      message: `Block ${height} says it holds ${block.entryCount} entries; ${memberHashes.length} entries name its previous root and ${leafHashes.length} are listed.`,
    });
  }
  const memberRoot = rootOf(memberHashes);
  if (memberRoot !== block.root) {
    report({
      code: "block_root_mismatch",
      height,
      message: memberRoot
        ? `Block ${height}: the entries naming its previous root give root ${memberRoot}, but the block says ${block.root}.`
        : `Block ${height} has no entries left, so its root ${block.root} cannot be recomputed.`,
    });
  }
  if (leafHashes.length === 0) return;
  const packed = new Uint8Array(leafHashes.length * 32);
  leafHashes.forEach((h, i) => packed.set(h, i * 32));
  const tree = buildTreeFromPacked(packed);
  if (tree.root !== block.root && memberRoot === block.root) {
    report({ code: "block_root_mismatch", height, message: `Block ${height}: its published entry list gives root ${tree.root}, but the block says ${block.root}.` });
  }
  if (!leafOrderReported && tree.sortedEntryIndex.some((position, i) => position !== i)) {
    report({ code: "entry_leaf_index_mismatch", height, message: `Block ${height}: the leaf positions are not the tree's sorted order, so proofs would point at the wrong leaves.` });
  }
  await checkTiles(ctx, height, tree.nodes, report);
}

function rootOf(hashes: Uint8Array[]): Hash | null {
  if (hashes.length === 0) return null;
  const packed = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => packed.set(h, i * 32));
  return buildTreeFromPacked(packed).root;
}

/** Compares the stored tree tiles of a block with the tiles of its recomputed tree. */
async function checkTiles(ctx: LedgerContext, height: number, nodes: Uint8Array, report: (f: AuditFinding) => void): Promise<void> {
  const stored = await queryRows<{ tile: number; nodes: Uint8Array }>(ctx.db, sql`select tile, nodes from block_tree_tiles where height = ${height} order by tile`);
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
