import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { ensureLedgerPartitions, isMissingPartitionError } from "../../db/partitions";
import { ProtocolError } from "../protocol/errors";
import type { Hash } from "../protocol/hex";
import { decodeRecord, type DecodedRecord } from "../protocol/record";
import { packJws } from "../../db/packed-jws";
import { CertificateRegistrations } from "./signers/cert-signers";
import type { LedgerContext } from "./context";
import { lockLedger, readHead } from "./head";
import { signersByKid, type SignerRow } from "./signers/signers";
import { signerValidityAt } from "./signers/validity";
import { logger } from "../observability/logger";
import { metrics } from "../observability/metrics";

/** Up to this many records in one batch submission. */
export const MAX_BATCH = 1000;

/**
 * A record that could not be checked or stored for a reason of the server's (a query failed), not
 * of the record's. It is rejected on its own, answered 500, and its cause is logged; the records
 * submitted with it are answered as if it had not been there.
 */
export class RecordNotProcessedError extends Error {
  /** The problem code it is answered with (500), beside the protocol's codes of a rejection. */
  readonly code = "internal";
  constructor(cause: unknown) {
    super("The ledger could not process this record; nothing of it was stored. Try again; if it persists, tell the operator.", { cause });
    this.name = "RecordNotProcessedError";
  }
}

/** Why a record was rejected: a protocol rule it broke, or a failure of the server's that concerned it alone. */
export type RejectionError = ProtocolError | RecordNotProcessedError;

export type SubmissionResult =
  /** `prevRoot` is the root the record names: the head root when it was accepted (its receipt signs it). */
  | { ok: true; entryHash: Hash; acceptedAt: Date; prevRoot: Hash }
  | { ok: false; error: RejectionError; entryHash?: Hash };

type Checked = { ok: true; record: DecodedRecord } | { ok: false; error: RejectionError; entryHash?: Hash };

/** A record's own rejection: its ProtocolError, or anything unexpected (logged) as RecordNotProcessedError. */
function rejectionOf(error: unknown): RejectionError {
  if (error instanceof ProtocolError) return error;
  logger().error({ err: error }, "one record could not be processed; it alone is rejected");
  return new RecordNotProcessedError(error);
}

/**
 * The directory rows of `kids`. When the one query for all of them fails, each kid is looked up
 * on its own, so that a kid the database refuses fails only the records that name it.
 */
async function lookUpSigners(ctx: LedgerContext, kids: string[]): Promise<(kid: string) => Promise<SignerRow | undefined>> {
  try {
    const directory = await signersByKid(ctx, kids);
    return async (kid) => directory.get(kid);
  } catch (error) {
    if (kids.length <= 1) return async () => Promise.reject(error);
    const single = new Map(kids.map((kid) => [kid, signersByKid(ctx, [kid]).then((m) => m.get(kid))]));
    for (const lookup of single.values()) lookup.catch(() => undefined);
    return (kid) => single.get(kid)!;
  }
}

/**
 * Checks every rule of PROTOCOL §1 that needs no lock: form, header, payload, signer status at
 * acceptance time and signature. Each item passes or fails on its own.
 */
async function checkRecords(ctx: LedgerContext, jwsList: readonly unknown[], now: Date): Promise<Checked[]> {
  const decoded: Checked[] = jwsList.map((jws) => {
    try {
      if (typeof jws !== "string") throw new ProtocolError("invalid_jws", "Each record must be a compact JWS string.");
      return { ok: true, record: decodeRecord(jws) };
    } catch (error) {
      return { ok: false, error: rejectionOf(error) };
    }
  });
  const kids = [...new Set(decoded.flatMap((d) => (d.ok ? [d.record.header.kid] : [])))];
  const signerOf = await lookUpSigners(ctx, kids);
  const certified = new CertificateRegistrations();
  return Promise.all(
    decoded.map(async (item): Promise<Checked> => {
      if (!item.ok) return item;
      const { header, jws, entryHash } = item.record;
      try {
        // An unknown key may bring its own X.509 chain to a trusted certification centre (x5c).
        const signer = (await signerOf(header.kid)) ?? (header.x5c ? await certified.register(ctx, item.record, now) : undefined);
        if (!signer) {
          throw new ProtocolError("unknown_signer", `No signer with key id ${header.kid} is registered in the directory.`, { kid: header.kid });
        }
        const validity = signerValidityAt(signer, now, header.alg);
        if (validity === "revoked") {
          throw new ProtocolError("revoked_signer", `The key ${header.kid} was revoked at ${signer.revokedAt!.toISOString()}.`, {
            kid: header.kid,
            revokedAt: signer.revokedAt!.toISOString(),
          });
        }
        if (validity === "not_yet_valid") {
          throw new ProtocolError("unknown_signer", `The key ${header.kid} is not valid before ${signer.validFrom.toISOString()}.`, {
            kid: header.kid,
            validFrom: signer.validFrom.toISOString(),
          });
        }
        if (validity === "wrong_alg") {
          throw new ProtocolError("unsupported_alg", `The header says ${header.alg}, but the key ${header.kid} is registered for ${signer.alg}.`, {
            alg: header.alg,
            keyAlg: signer.alg,
          });
        }
        await ctx.keys.verifyJws(jws, signer.kid, signer.publicJwk, header.alg);
        return item;
      } catch (error) {
        return { ok: false, error: rejectionOf(error), entryHash };
      }
    }),
  );
}

/**
 * Accepts a batch of signed records. Every item is checked on its own (PROTOCOL §1) and answered
 * on its own; the accepted ones are stored in one transaction under the ledger's share lock, so
 * that each is either in the block being sealed next or rejected as `stale_prev_root`.
 * A rejected item stores nothing.
 */
export async function submitRecords(ctx: LedgerContext, jwsList: readonly unknown[]): Promise<SubmissionResult[]> {
  if (jwsList.length > MAX_BATCH) {
    throw new ProtocolError("payload_too_large", `A batch may hold at most ${MAX_BATCH} records; this one has ${jwsList.length}.`, {
      count: jwsList.length,
      limit: MAX_BATCH,
    });
  }
  const now = ctx.now();
  const checked = await checkRecords(ctx, jwsList, now);
  const results: SubmissionResult[] = checked.map((c) => (c.ok ? { ok: true, entryHash: c.record.entryHash, acceptedAt: now, prevRoot: c.record.payload.prevRoot } : c));
  const candidates = checked.flatMap((c, i) => (c.ok ? [{ i, record: c.record }] : []));
  if (candidates.length === 0) return countedResults(results);

  try {
    await storeRecordsIntoPartitions(ctx, candidates, results, now);
  } catch (error) {
    if (candidates.length === 1) {
      results[candidates[0].i] = { ok: false, entryHash: candidates[0].record.entryHash, error: rejectionOf(error) };
      return countedResults(results);
    }
    // The one transaction failed: store each record in its own, so that whatever failed fails alone.
    for (const candidate of candidates) {
      try {
        await storeRecordsIntoPartitions(ctx, [candidate], results, now);
      } catch (single) {
        results[candidate.i] = { ok: false, entryHash: candidate.record.entryHash, error: rejectionOf(single) };
      }
    }
  }
  return countedResults(results);
}

/**
 * `storeRecords`, once more after creating the entries' next partitions when the seqs handed out ran
 * past the last one (the seal creates them ahead, so this happens only after a burst between seals).
 */
async function storeRecordsIntoPartitions(ctx: LedgerContext, candidates: Array<{ i: number; record: DecodedRecord }>, results: SubmissionResult[], now: Date): Promise<void> {
  try {
    await storeRecords(ctx, candidates, results, now);
  } catch (error) {
    if (!isMissingPartitionError(error)) throw error;
    await ensureLedgerPartitions(ctx.db);
    await storeRecords(ctx, candidates, results, now);
  }
}

/**
 * Stores the checked `candidates` in one transaction under the ledger's share lock, writing into
 * `results` each one's verdict: accepted, `stale_prev_root` or `duplicate_record`.
 * Throws what the database threw; then nothing of them is stored.
 */
async function storeRecords(ctx: LedgerContext, candidates: Array<{ i: number; record: DecodedRecord }>, results: SubmissionResult[], now: Date): Promise<void> {
  for (const { i, record } of candidates) results[i] = { ok: true, entryHash: record.entryHash, acceptedAt: now, prevRoot: record.payload.prevRoot };
  await ctx.db.transaction(async (tx) => {
    await lockLedger(tx, ctx.ledgerId, "share");
    const head = await readHead(tx, ctx.genesisRoot);
    const fresh = candidates.filter(({ i, record }) => {
      if (record.payload.prevRoot === head.root) return true;
      results[i] = {
        ok: false,
        entryHash: record.entryHash,
        error: new ProtocolError(
          "stale_prev_root",
          `The record names prevRoot ${record.payload.prevRoot}, but the latest sealed root is ${head.root} (height ${head.height}). Sign it again with the current root.`,
          { prevRoot: record.payload.prevRoot, headRoot: head.root, headHeight: head.height },
        ),
      };
      return false;
    });
    if (fresh.length === 0) return;
    const rows = fresh.map(({ record }) => {
      const row = acceptedEntryRow(record);
      // The stored JWS (migration 0010) travels in base64: as long in the JSON as the JWS itself.
      return { h: row.entryHash.slice(2), id: row.recordId, kid: row.kid, p: row.prevRoot.slice(2), j: row.jws.toString("base64") };
    });
    // A replay is refused by the record id's claim (migration 0009): skipped here rather than
    // raised, so that it is answered duplicate_record on its own and the rest of the batch stays.
    await tx.execute(sql`select set_config('sealbook.skip_replays', 'on', true)`);
    const inserted = await queryRows<{ h: string }>(
      tx,
      sql`insert into entries (entry_hash, record_id, signer_id, prev_root, jws, accepted_at)
          select decode(r.h, 'hex'), r.id::uuid, (select s.id from signers s where s.kid = r.kid), decode(r.p, 'hex'), decode(r.j, 'base64'), ${now.toISOString()}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(h text, id text, kid text, p text, j text)
          returning encode(entry_hash, 'hex') as h`,
    );
    const stored = new Set(inserted.map((r) => r.h));
    const claimed = new Set<string>();
    for (const { i, record } of fresh) {
      const hex = record.entryHash.slice(2);
      if (stored.has(hex) && !claimed.has(hex)) {
        claimed.add(hex);
        continue;
      }
      results[i] = {
        ok: false,
        entryHash: record.entryHash,
        error: new ProtocolError("duplicate_record", `A record with id ${record.payload.id} is already in the ledger; a replay is rejected.`, {
          id: record.payload.id,
        }),
      };
      stored.add(record.entryHash.slice(2));
    }
  });
}

/**
 * The `entries` row an accepted record is stored as (its `seq` and `accepted_at` aside): the
 * columns ingest writes, derived from the decoded record alone, with the JWS in its stored form
 * (db/packed-jws.ts) and the signer as its kid, which the writer turns into the signer's number. Ingest stores every record through
 * it; anything else that writes accepted records (a benchmark's bulk loader) must too, so that the
 * audit finds the same rows either way.
 */
export function acceptedEntryRow(record: DecodedRecord): { entryHash: Hash; recordId: string; kid: string; prevRoot: Hash; jws: Buffer } {
  return { entryHash: record.entryHash, recordId: record.payload.id.toLowerCase(), kid: record.header.kid, prevRoot: record.payload.prevRoot, jws: packJws(record.jws) };
}

/** Counts accepted and rejected records (by code) in the process's metrics; returns `results`. */
function countedResults(results: SubmissionResult[]): SubmissionResult[] {
  const m = metrics();
  for (const r of results) {
    if (r.ok) m.recordsAccepted.inc();
    else m.recordsRejected.inc({ code: r.error.code });
  }
  return results;
}
