import type { Hash } from "../protocol/hex";
import type { LedgerContext } from "./context";
import { MAX_BATCH, submitRecords, type SubmissionResult } from "./ingest";

type Waiting = { jws: unknown; resolve: (result: SubmissionResult) => void; reject: (error: unknown) => void };

/**
 * Group commit for single-record submissions: records that arrive while a transaction is in
 * flight are accepted together in the next one, each still checked and answered on its own.
 * One transaction, one lock, one head read, one signer lookup and one WAL flush then serve many
 * requests: the single-record benchmark measured about 1 ms of PostgreSQL CPU per request without
 * it. An idle ledger flushes at once, so a lone request waits for nothing.
 */
export class IngestBatcher {
  private queue: Waiting[] = [];
  private flushing = false;

  constructor(private readonly ctx: LedgerContext) {}

  /** Submits one record; resolves with its own result once its batch is committed. */
  submit(jws: unknown): Promise<SubmissionResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ jws, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const results = await submitRecords(this.ctx, batch.map((w) => w.jws));
          batch.forEach((w, i) => w.resolve(results[i]));
        } catch (error) {
          // submitRecords answers each record on its own, so this is a failure outside any one
          // record. Nothing of the group was stored (one transaction); each record is tried again
          // alone, so that whatever caused it fails only its own caller.
          if (batch.length === 1) {
            batch[0].reject(error);
            continue;
          }
          await Promise.all(batch.map((w) => submitRecords(this.ctx, [w.jws]).then((r) => w.resolve(r[0]), w.reject)));
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}

const batchers = new WeakMap<LedgerContext, IngestBatcher>();

/** The process-wide batcher of a ledger context. */
export function ingestBatcherOf(ctx: LedgerContext): IngestBatcher {
  let batcher = batchers.get(ctx);
  if (!batcher) batchers.set(ctx, (batcher = new IngestBatcher(ctx)));
  return batcher;
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
