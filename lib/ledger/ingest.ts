import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { ProtocolError } from "../protocol/errors";
import type { Hash } from "../protocol/hex";
import { decodeRecord, type DecodedRecord } from "../protocol/record";
import { CertificateRegistrations } from "./cert-signers";
import type { LedgerContext } from "./context";
import { ingestBatcherOf } from "./ingest-batcher";
import { lockLedger, readHead } from "./head";
import { signersByKid } from "./signers";
import { metrics } from "../observability/metrics";

/** Up to this many records in one batch submission. */
export const MAX_BATCH = 1000;

export type SubmissionResult =
  /** `prevRoot` is the root the record names: the head root when it was accepted (its receipt signs it). */
  | { ok: true; entryHash: Hash; acceptedAt: Date; prevRoot: Hash }
  | { ok: false; error: ProtocolError; entryHash?: Hash };

type Checked = { ok: true; record: DecodedRecord } | { ok: false; error: ProtocolError; entryHash?: Hash };

function asProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  throw error;
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
      return { ok: false, error: asProtocolError(error) };
    }
  });
  const kids = [...new Set(decoded.flatMap((d) => (d.ok ? [d.record.header.kid] : [])))];
  const directory = await signersByKid(ctx, kids);
  const certified = new CertificateRegistrations();
  return Promise.all(
    decoded.map(async (item): Promise<Checked> => {
      if (!item.ok) return item;
      const { header, jws, entryHash } = item.record;
      try {
        // An unknown key may bring its own X.509 chain to a trusted certification centre (x5c).
        const signer = directory.get(header.kid) ?? (header.x5c ? await certified.register(ctx, item.record, now) : undefined);
        if (!signer) {
          throw new ProtocolError("unknown_signer", `No signer with key id ${header.kid} is registered in the directory.`, { kid: header.kid });
        }
        if (signer.revokedAt && signer.revokedAt <= now) {
          throw new ProtocolError("revoked_signer", `The key ${header.kid} was revoked at ${signer.revokedAt.toISOString()}.`, {
            kid: header.kid,
            revokedAt: signer.revokedAt.toISOString(),
          });
        }
        if (signer.validFrom > now) {
          throw new ProtocolError("unknown_signer", `The key ${header.kid} is not valid before ${signer.validFrom.toISOString()}.`, {
            kid: header.kid,
            validFrom: signer.validFrom.toISOString(),
          });
        }
        if (header.alg !== signer.alg) {
          throw new ProtocolError("unsupported_alg", `The header says ${header.alg}, but the key ${header.kid} is registered for ${signer.alg}.`, {
            alg: header.alg,
            keyAlg: signer.alg,
          });
        }
        await ctx.keys.verifyJws(jws, signer.kid, signer.publicJwk, header.alg);
        return item;
      } catch (error) {
        return { ok: false, error: asProtocolError(error), entryHash };
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
    const rows = fresh.map(({ record }) => ({
      h: record.entryHash.slice(2),
      id: record.payload.id.toLowerCase(),
      kid: record.header.kid,
      kind: record.payload.kind,
      p: record.payload.prevRoot.slice(2),
      jws: record.jws,
    }));
    const inserted = await queryRows<{ h: string }>(
      tx,
      sql`insert into entries (entry_hash, record_id, kid, kind, prev_root, jws, accepted_at)
          select decode(r.h, 'hex'), r.id::uuid, r.kid, r.kind, decode(r.p, 'hex'), r.jws, ${now.toISOString()}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(h text, id text, kid text, kind text, p text, jws text)
          on conflict do nothing
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
  return countedResults(results);
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

/**
 * Accepts one signed record; see `submitRecords`. Records submitted one by one at the same time
 * are committed together (group commit, `IngestBatcher`), each checked and answered on its own.
 * Throws the ProtocolError that rejected it.
 */
export async function submitRecord(ctx: LedgerContext, jws: unknown): Promise<{ entryHash: Hash; acceptedAt: Date; prevRoot: Hash }> {
  const result = await ingestBatcherOf(ctx).submit(jws);
  if (!result.ok) throw result.error;
  return { entryHash: result.entryHash, acceptedAt: result.acceptedAt, prevRoot: result.prevRoot };
}
