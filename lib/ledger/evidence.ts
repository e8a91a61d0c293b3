/**
 * Producing evidence bundles (PROTOCOL §8) from the ledger: choose the records, say what a bundle
 * will hold (`planEvidence`), then write it as a stream of JSON text (`evidenceChunks`), one item
 * at a time, so that a selection of 100,000 records never sits in memory as records: only their
 * entry hashes and positions do, and the block headers and anchors, which are few.
 *
 * A record goes into a bundle only once its block is anchored: the bundle must name an anchored
 * height at or above every record's block. The others are counted and left out (`planEvidence`
 * says how many and why).
 */
import { eq, inArray, sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { entryHashIn, hexHashSet } from "../../db/entry-keys";
import { anchors as anchorsTable, blocks as blocksTable, entries, signerCertificates, signers } from "../../db/schema";
import { EVIDENCE_TYPE, type EvidenceAnchor, type EvidenceItem, type EvidenceSigner } from "../protocol/evidence";
import type { BlockHeader } from "../protocol/wire/proof-bundle";
import { bytesToHex, type Hash } from "../protocol/hex";
import type { LedgerContext } from "./context";
import { proofForEntry } from "./proofs";

/** Which records a bundle is for: named entries, named record ids, or one signer's records in a time range (inclusive). */
export type EvidenceSelection =
  | { by: "entries"; entryHashes: Hash[] }
  | { by: "records"; recordIds: string[] }
  | { by: "signer"; kid: string; from: Date; to: Date };

/** What a bundle for a selection will hold, before it is written. */
export interface EvidencePlan {
  selection: EvidenceSelection;
  /** Records found for the selection. */
  found: number;
  /** Records that go into the bundle: sealed in an anchored block. */
  included: number;
  /** Records left out because they are not sealed yet. */
  pending: number;
  /** Records left out because their block is sealed but not anchored yet. */
  unanchored: number;
  /** Entry hashes or record ids named in the selection that the ledger does not hold. */
  unknown: string[];
  /** The lowest and highest block holding an included record; null when none. */
  lowestHeight: number | null;
  highestHeight: number | null;
  /** The highest anchored height the bundle will name (the anchor of the highest record's block). */
  anchorHeight: number | null;
  /** How many block headers the bundle will carry. */
  blockCount: number;
  /** Included entries in (height, leaf) order: what `evidenceChunks` writes. Not part of the public summary. */
  order: Array<{ entryHash: Hash; height: number; leafIndex: number }>;
}

/** Signs the acceptance receipt of an entry (PROTOCOL §6); null when the ledger signs none. */
export type ReceiptIssuer = ((entry: { entryHash: Hash; prevRoot: Hash; acceptedAt: Date }) => Promise<Record<string, unknown>>) | null;

export interface EvidenceWriteOptions {
  /** Leave out the JWS (a public bundle). */
  public: boolean;
  receipts: ReceiptIssuer;
  /** Called after each item is written (awaited: a report written beside the bundle keeps pace). */
  onItem?: (item: EvidenceItem, done: number, total: number) => void | Promise<void>;
}

const PAGE = 1_000;
const CHUNK = 1_000;

/**
 * Finds the records of a selection and says what a bundle will hold.
 * Throws an Error when the selection is empty or malformed (a message for the user).
 */
export async function planEvidence(ctx: LedgerContext, selection: EvidenceSelection): Promise<EvidencePlan> {
  const rows: Array<{ entry_hash: Uint8Array; record_id: string; block_height: number | null; leaf_index: number | null }> = [];
  // Each entry's keys (db/entry-keys.ts) name its block, so each leaf row is read from one partition.
  const select = sql`select e.entry_hash, e.record_id, l.block_height, l.leaf_index from entries e
    left join entry_keys k on k.record_id = e.record_id
    left join entry_leaves l on l.block_height = k.height and l.entry_hash = e.entry_hash`;
  let named: string[] = [];
  if (selection.by === "entries") {
    named = [...new Set(selection.entryHashes.map((h) => h.toLowerCase()))];
    for (let i = 0; i < named.length; i += CHUNK) {
      rows.push(...(await queryRows<(typeof rows)[number]>(ctx.db, sql`${select} where ${entryHashIn("e", hexHashSet(named.slice(i, i + CHUNK)))}`)));
    }
  } else if (selection.by === "records") {
    named = [...new Set(selection.recordIds.map((id) => id.toLowerCase()))];
    for (let i = 0; i < named.length; i += CHUNK) {
      const list = sql.join(named.slice(i, i + CHUNK).map((id) => sql`${id}::uuid`), sql`, `);
      // Through the record ids' claims (migration 0009): entries has no index on record_id, and
      // the claim's seq finds the entry in its partition.
      rows.push(...(await queryRows<(typeof rows)[number]>(ctx.db, sql`${select} where e.seq in (select seq from entry_keys where record_id in (${list})) and e.record_id in (${list})`)));
    }
  } else {
    if (!(selection.from <= selection.to)) throw new Error(`The time range is empty: --from ${selection.from.toISOString()} is after --to ${selection.to.toISOString()}.`);
    rows.push(
      ...(await queryRows<(typeof rows)[number]>(
        ctx.db,
        sql`${select} where e.signer_id = (select s.id from signers s where s.kid = ${selection.kid}) and e.accepted_at >= ${selection.from.toISOString()}::timestamptz and e.accepted_at <= ${selection.to.toISOString()}::timestamptz`,
      )),
    );
  }
  const [{ anchored }] = await queryRows<{ anchored: number | string | null }>(ctx.db, sql`select max(height) as anchored from anchors where status = 'confirmed'`);
  const anchoredHeight = Number(anchored ?? 0);
  const seen = new Set(rows.map((r) => (selection.by === "records" ? String(r.record_id).toLowerCase() : bytesToHex(r.entry_hash))));
  const order: EvidencePlan["order"] = [];
  let pending = 0;
  let unanchored = 0;
  for (const r of rows) {
    if (r.block_height === null || r.leaf_index === null) pending++;
    else if (Number(r.block_height) > anchoredHeight) unanchored++;
    else order.push({ entryHash: bytesToHex(r.entry_hash), height: Number(r.block_height), leafIndex: Number(r.leaf_index) });
  }
  order.sort((a, b) => a.height - b.height || a.leafIndex - b.leafIndex);
  const lowestHeight = order[0]?.height ?? null;
  const highestHeight = order.at(-1)?.height ?? null;
  let anchorHeight: number | null = null;
  if (highestHeight !== null) {
    // Anchoring goes in height order, so this is the highest record's own block, unless its anchor row is missing.
    const [row] = await queryRows<{ h: number | string | null }>(ctx.db, sql`select min(height) as h from anchors where status = 'confirmed' and height >= ${highestHeight}`);
    anchorHeight = Number(row.h);
  }
  return {
    selection,
    found: rows.length,
    included: order.length,
    pending,
    unanchored,
    unknown: named.filter((n) => !seen.has(n)),
    lowestHeight,
    highestHeight,
    anchorHeight,
    blockCount: lowestHeight === null || anchorHeight === null ? 0 : anchorHeight - lowestHeight + 1,
    order,
  };
}

/** The plan without its entry list: what a page or a log line shows. */
export type EvidenceSummary = Omit<EvidencePlan, "order" | "selection">;

/** The summary of a plan. */
export function planSummary(plan: EvidencePlan): EvidenceSummary {
  const { order: _order, selection: _selection, ...summary } = plan;
  return summary;
}

/**
 * Writes the evidence bundle of `plan` as JSON text, in pieces: the head, then one item at a time
 * (read a page of records, then each record's proof from its block's tiles), then the block
 * headers from the lowest record's block to the anchored height, then the anchors of the records'
 * blocks. Throws an Error when the plan includes nothing, or when the ledger changed under it
 * (a record's proof cannot be read: run `sealbook audit`).
 */
export async function* evidenceChunks(ctx: LedgerContext, plan: EvidencePlan, options: EvidenceWriteOptions): AsyncGenerator<string> {
  if (plan.included === 0 || plan.lowestHeight === null || plan.anchorHeight === null) {
    throw new Error("None of the selected records is sealed in an anchored block yet, so there is nothing to put in an evidence bundle.");
  }
  const head = { type: EVIDENCE_TYPE, version: 1, ledgerId: ctx.ledgerId, genesisRoot: ctx.genesisRoot, createdAt: ctx.now().toISOString() };
  yield `${JSON.stringify(head).slice(0, -1)},"items":[\n`;
  const signerCache = new Map<string, EvidenceSigner>();
  const anchors = new Map<number, EvidenceAnchor>();
  let done = 0;
  for (let i = 0; i < plan.order.length; i += PAGE) {
    const page = plan.order.slice(i, i + PAGE);
    const records = await readRecords(ctx, page.map((p) => p.entryHash));
    await cacheSigners(ctx, records, signerCache);
    // Proofs are one prepared query each; a few at a time lets PostgreSQL pipeline them.
    const items: EvidenceItem[] = await mapLimited(page, 8, async ({ entryHash }) => {
      const record = records.get(entryHash)!;
      const answer = await proofForEntry(ctx, entryHash);
      if (answer.status !== "sealed") throw new Error(`Entry ${entryHash} was sealed when the bundle was planned, but now has no proof: run \`sealbook audit\`.`);
      const receipt = options.receipts ? await options.receipts({ entryHash, prevRoot: record.prevRoot, acceptedAt: record.acceptedAt }) : null;
      return {
        entryHash,
        ...(options.public ? {} : { jws: record.jws }),
        acceptedAt: record.acceptedAt.toISOString(),
        bundle: answer.bundle,
        receipt,
        signer: signerCache.get(record.kid)!,
      };
    });
    for (const item of items) {
      if (item.bundle.anchor) anchors.set(item.bundle.block.height, { height: item.bundle.block.height, ...item.bundle.anchor });
      yield `${done === 0 ? "" : ",\n"}${JSON.stringify(item)}`;
      done++;
      await options.onItem?.(item, done, plan.order.length);
    }
  }
  yield `\n],"blocks":[\n`;
  let first = true;
  for (let from = plan.lowestHeight; from <= plan.anchorHeight; from += PAGE) {
    const to = Math.min(from + PAGE - 1, plan.anchorHeight);
    const rows = await ctx.db.select().from(blocksTable).where(sql`${blocksTable.height} between ${from} and ${to}`).orderBy(blocksTable.height);
    for (const b of rows) {
      const header: BlockHeader = { height: b.height, root: b.root, prevRoot: b.prevRoot, entryCount: b.entryCount, sealedAt: b.sealedAt.toISOString() };
      yield `${first ? "" : ",\n"}${JSON.stringify(header)}`;
      first = false;
    }
  }
  if (!anchors.has(plan.anchorHeight)) {
    const [row] = await ctx.db.select().from(anchorsTable).where(sql`${anchorsTable.height} = ${plan.anchorHeight} and ${anchorsTable.status} = 'confirmed'`);
    if (!row?.txHash) throw new Error(`The anchor of block ${plan.anchorHeight} vanished while the bundle was written: try again.`);
    anchors.set(row.height, { height: row.height, chainId: row.chainId, registry: row.registry, txHash: row.txHash as Hash, blockNumber: Number(row.chainBlockNumber) });
  }
  const anchorList = [...anchors.values()].sort((a, b) => a.height - b.height);
  yield `\n],"anchors":${JSON.stringify(anchorList)}}\n`;
}

interface RecordRow {
  jws: string;
  kid: string;
  prevRoot: Hash;
  acceptedAt: Date;
}

async function readRecords(ctx: LedgerContext, hashes: Hash[]): Promise<Map<Hash, RecordRow>> {
  const rows = await ctx.db
    .select({ entryHash: entries.entryHash, jws: entries.jws, kid: signers.kid, prevRoot: entries.prevRoot, acceptedAt: entries.acceptedAt })
    .from(entries)
    .innerJoin(signers, eq(signers.id, entries.signerId))
    .where(entryHashIn("entries", hexHashSet(hashes)));
  return new Map(rows.map((r) => [r.entryHash, r]));
}

async function cacheSigners(ctx: LedgerContext, records: Map<Hash, RecordRow>, cache: Map<string, EvidenceSigner>): Promise<void> {
  const missing = [...new Set([...records.values()].map((r) => r.kid))].filter((kid) => !cache.has(kid));
  if (missing.length === 0) return;
  const rows = await ctx.db.select().from(signers).where(inArray(signers.kid, missing));
  const certs = await ctx.db.select({ kid: signerCertificates.kid, chain: signerCertificates.chain }).from(signerCertificates).where(inArray(signerCertificates.kid, missing));
  const chains = new Map(certs.map((c) => [c.kid, c.chain]));
  for (const s of rows) {
    cache.set(s.kid, {
      kid: s.kid,
      jwk: s.publicJwk,
      label: s.label,
      validFrom: s.validFrom.toISOString(),
      revokedAt: s.revokedAt ? s.revokedAt.toISOString() : null,
      x5c: chains.get(s.kid) ?? [],
    });
  }
}

/** Maps `items` with at most `limit` calls in flight, keeping the order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
