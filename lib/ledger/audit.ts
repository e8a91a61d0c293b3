import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { signers as signersTable } from "../../db/schema";
import { ProtocolError } from "../protocol/errors";
import { entryHashOf } from "../protocol/hash";
import { bytesToHex, type Hash } from "../protocol/hex";
import { decodeRecord, type RecordAlg } from "../protocol/record";
import { TILE_SLOTS, tilesOfTree } from "../protocol/tiles";
import { NODE_BYTES } from "../protocol/merkle";
import type { LedgerContext } from "./context";
import { buildTreeFromPacked } from "./tree";

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
  block_height: number | null;
  leaf_index: number | null;
};

const PAGE = 5_000;

/**
 * Re-verifies the whole ledger from the database alone (issue "Ledger core", Audit): every entry
 * hash against its JWS, every signature under its signer's key as valid at acceptance, every
 * prevRoot link, every block root recomputed from its entries, the stored tree tiles, the chain of
 * blocks, the counts, and orphans and duplicates. It never stops at the first finding.
 */
export async function auditLedger(ctx: LedgerContext, options: AuditOptions = {}): Promise<AuditReport> {
  const startedAt = new Date().toISOString();
  const findings: AuditFinding[] = [];
  const report = (f: AuditFinding) => findings.push(f);
  const { db } = ctx;

  const blockRows = await queryRows<{ height: number; root: Uint8Array; prev_root: Uint8Array; entry_count: number }>(
    db,
    sql`select height, root, prev_root, entry_count from blocks order by height`,
  );
  const blocks = blockRows.map((b) => ({ height: Number(b.height), root: bytesToHex(b.root), prevRoot: bytesToHex(b.prev_root), entryCount: Number(b.entry_count) }));
  const byHeight = new Map(blocks.map((b) => [b.height, b]));
  const head = blocks.length > 0 ? blocks[blocks.length - 1].height : 0;
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
  const seenHashes = new Set<Hash>();
  let entriesDone = 0;
  let blocksDone = 0;
  const progress = () => options.onProgress?.({ blocksDone, blocksTotal: blocks.length, entriesDone, entriesTotal });

  const checkEntry = async (row: EntryRow, expectedPrevRoot: Hash | null): Promise<Hash> => {
    const entryHash = bytesToHex(row.entry_hash);
    const where = { height: row.block_height ?? undefined, entryHash };
    if (seenHashes.has(entryHash)) report({ code: "duplicate_entry", ...where, message: `Entry ${entryHash} appears more than once.` });
    seenHashes.add(entryHash);
    const computed = entryHashOf(row.jws);
    if (computed !== entryHash) {
      report({ code: "entry_hash_mismatch", ...where, message: `Entry ${entryHash}: its JWS hashes to ${computed}; the record was altered.` });
    }
    const columnPrevRoot = bytesToHex(row.prev_root);
    if (expectedPrevRoot && columnPrevRoot !== expectedPrevRoot) {
      report({ code: "entry_prev_root_mismatch", ...where, message: `Entry ${entryHash} names prevRoot ${columnPrevRoot}, but its block follows ${expectedPrevRoot}.` });
    }
    let decoded;
    try {
      decoded = decodeRecord(row.jws);
    } catch (error) {
      report({ code: "entry_invalid", ...where, message: `Entry ${entryHash}: the stored JWS is not a valid record (${(error as Error).message}).` });
      return entryHash;
    }
    const recordId = decoded.payload.id.toLowerCase();
    const firstWithId = seenIds.get(recordId);
    if (firstWithId && firstWithId !== entryHash) {
      report({ code: "duplicate_entry", ...where, message: `Entry ${entryHash} repeats record id ${recordId}, already in entry ${firstWithId}.` });
    }
    seenIds.set(recordId, entryHash);
    if (decoded.payload.prevRoot !== columnPrevRoot || recordId !== row.record_id || decoded.payload.kind !== row.kind || decoded.header.kid !== row.kid) {
      report({ code: "entry_fields_mismatch", ...where, message: `Entry ${entryHash}: the stored columns (id, kind, kid, prevRoot) differ from its signed payload.` });
    }
    const signer = signerByKid.get(decoded.header.kid);
    const acceptedAt = new Date(row.accepted_at);
    if (!signer) {
      report({ code: "entry_signer_invalid", ...where, message: `Entry ${entryHash} is signed by ${decoded.header.kid}, which is not in the signer directory.` });
      return entryHash;
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
    return entryHash;
  };

  for (const block of blocks) {
    const packed: Uint8Array[] = [];
    let expectedLeaf = 0;
    for (let from = -1; ; ) {
      const rows = await queryRows<EntryRow>(
        db,
        sql`select entry_hash, record_id::text as record_id, kid, kind, prev_root, jws, accepted_at, block_height, leaf_index
            from entries where block_height = ${block.height} and leaf_index > ${from}
            order by leaf_index limit ${PAGE}`,
      );
      await Promise.all(rows.map((row) => checkEntry(row, block.prevRoot)));
      for (const row of rows) {
        if (Number(row.leaf_index) !== expectedLeaf) {
          report({
            code: "entry_leaf_index_mismatch",
            height: block.height,
            entryHash: bytesToHex(row.entry_hash),
            message: `Block ${block.height}: expected leaf ${expectedLeaf}, found leaf ${row.leaf_index}.`,
          });
          expectedLeaf = Number(row.leaf_index);
        }
        expectedLeaf++;
        packed.push(new Uint8Array(row.entry_hash));
      }
      entriesDone += rows.length;
      progress();
      if (rows.length < PAGE) break;
      from = Number(rows[rows.length - 1].leaf_index);
    }
    await checkBlockTree(ctx, block, packed, report);
    if (options.checkRoot) {
      const finding = await options.checkRoot(block.height, block.root);
      if (finding) report(finding);
    }
    blocksDone++;
    progress();
  }

  // Entries and tiles that point at no block.
  const orphans = await queryRows<EntryRow>(
    db,
    sql`select e.entry_hash, e.record_id::text as record_id, e.kid, e.kind, e.prev_root, e.jws, e.accepted_at, e.block_height, e.leaf_index
        from entries e left join blocks b on b.height = e.block_height
        where e.block_height is not null and b.height is null order by e.block_height, e.leaf_index`,
  );
  for (const row of orphans) {
    report({
      code: "orphan_entry",
      height: Number(row.block_height),
      entryHash: bytesToHex(row.entry_hash),
      message: `Entry ${bytesToHex(row.entry_hash)} is sealed in block ${row.block_height}, which does not exist.`,
    });
  }
  const orphanTiles = await queryRows<{ height: number; n: string | number }>(
    db,
    sql`select t.height, count(*) as n from block_tree_tiles t left join blocks b on b.height = t.height
        where b.height is null group by t.height order by t.height`,
  );
  for (const row of orphanTiles) {
    report({ code: "orphan_tiles", height: Number(row.height), message: `${row.n} tree tiles belong to block ${row.height}, which does not exist.` });
  }

  // Pending entries: valid, and still sealable (they must name the head root).
  const headRoot = head > 0 ? byHeight.get(head)!.root : ctx.genesisRoot;
  let pending = 0;
  for (let from = -1; ; ) {
    const rows = await queryRows<EntryRow & { seq: number }>(
      db,
      sql`select seq, entry_hash, record_id::text as record_id, kid, kind, prev_root, jws, accepted_at, block_height, leaf_index
          from entries where block_height is null and seq > ${from} order by seq limit ${PAGE}`,
    );
    await Promise.all(rows.map((row) => checkEntry(row, null)));
    for (const row of rows) {
      const prevRoot = bytesToHex(row.prev_root);
      if (prevRoot !== headRoot) {
        report({
          code: "stranded_pending_entry",
          entryHash: bytesToHex(row.entry_hash),
          message: `Pending entry ${bytesToHex(row.entry_hash)} names ${prevRoot}, not the head root ${headRoot}: it can never be sealed, so an accepted record would be lost.`,
        });
      }
    }
    pending += rows.length;
    entriesDone += rows.length;
    progress();
    if (rows.length < PAGE) break;
    from = Number(rows[rows.length - 1].seq);
  }

  return {
    ok: findings.length === 0,
    ledgerId: ctx.ledgerId,
    head,
    checked: { blocks: blocks.length, entries: entriesDone, pending },
    findings,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

/** Recomputes a block's root, count, leaf order and stored tiles from its entry hashes. */
async function checkBlockTree(
  ctx: LedgerContext,
  block: { height: number; root: Hash; entryCount: number },
  hashes: Uint8Array[],
  report: (f: AuditFinding) => void,
): Promise<void> {
  const { height } = block;
  if (hashes.length !== block.entryCount) {
    report({ code: "block_entry_count_mismatch", height, message: `Block ${height} says it holds ${block.entryCount} entries; ${hashes.length} are stored.` });
  }
  if (hashes.length === 0) {
    report({ code: "block_root_mismatch", height, message: `Block ${height} has no entries left, so its root ${block.root} cannot be recomputed.` });
    return;
  }
  const packed = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => packed.set(h, i * 32));
  const tree = buildTreeFromPacked(packed);
  if (tree.root !== block.root) {
    report({ code: "block_root_mismatch", height, message: `Block ${height}: its entries give root ${tree.root}, but the block says ${block.root}.` });
    return;
  }
  for (let i = 0; i < tree.size; i++) {
    if (tree.sortedEntryIndex[i] !== i) {
      report({ code: "entry_leaf_index_mismatch", height, entryHash: bytesToHex(hashes[i]), message: `Block ${height}: leaf indexes are not in tree order.` });
      break;
    }
  }
  const tileLength = TILE_SLOTS * NODE_BYTES;
  const stored = await queryRows<{ tile: number; nodes: Uint8Array }>(ctx.db, sql`select tile, nodes from block_tree_tiles where height = ${height} order by tile`);
  const storedByTile = new Map(stored.map((t) => [Number(t.tile), new Uint8Array(t.nodes)]));
  let expectedTiles = 0;
  const bad: number[] = [];
  for (const [tile, bytes] of tilesOfTree(tree.nodes)) {
    expectedTiles++;
    const have = storedByTile.get(tile);
    if (!have || have.length !== tileLength || !have.every((b, i) => b === bytes[i])) bad.push(tile);
  }
  if (bad.length > 0 || stored.length !== expectedTiles) {
    report({
      code: "block_tiles_mismatch",
      height,
      message: `Block ${height}: ${bad.length} stored tree tiles differ from the recomputed tree (${stored.length} stored, ${expectedTiles} expected); proofs served from them would be wrong.`,
    });
  }
}
