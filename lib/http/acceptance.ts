import { getReceiptIssuance } from "../chain/receipt-issuance";
import { issueReceipts } from "../ledger/receipts";
import { submitRecords } from "../ledger/ingest";
import { submitRecord } from "../ledger/ingest-batcher";
import { metrics } from "../observability/metrics";
import type { Runtime } from "../ledger/runtime";
import type { AcceptedRecord } from "../protocol/wire/receipt";
import { answerProblems, problemOfRejection } from "./problem";
import { readRecordBatch, readSingleRecord } from "./records";
import { requestSlots } from "./request-slots";
import { json } from "./request";

/**
 * Accepts one record and answers `201 {entryHash, acceptedAt, receipt}`, where `receipt` is the
 * signed acceptance receipt of PROTOCOL §6, or null with the reason in `receiptUnavailable` when
 * the ledger cannot sign one (no chain configured). Throws the ProtocolError that rejected it.
 */
export async function answerSubmission(runtime: Runtime, jws: string): Promise<Response> {
  const timer = metrics().ingestSeconds.startTimer({ kind: "single" });
  try {
    const accepted = await submitRecord(runtime.ledger, jws);
    const { receipts, unavailable } = await issueReceipts(() => getReceiptIssuance(runtime.config), runtime.config, [{ ok: true, ...accepted }]);
    const answer: AcceptedRecord = {
      entryHash: accepted.entryHash,
      acceptedAt: accepted.acceptedAt.toISOString(),
      receipt: receipts[0],
      ...(unavailable ? { receiptUnavailable: unavailable } : {}),
    };
    return json(answer, { status: 201 });
  } finally {
    timer();
  }
}

/**
 * Accepts a batch and answers `200 {accepted, rejected, results}`; each accepted item carries its
 * receipt (null, with `receiptUnavailable` once at the top, when the ledger cannot sign receipts).
 */
export async function answerBatchSubmission(runtime: Runtime, items: unknown[]): Promise<Response> {
  const timer = metrics().ingestSeconds.startTimer({ kind: "batch" });
  const results = await submitRecords(runtime.ledger, items);
  const { receipts, unavailable } = await issueReceipts(() => getReceiptIssuance(runtime.config), runtime.config, results);
  const body = results.map((r, index) =>
    r.ok
      ? { index, status: "accepted" as const, entryHash: r.entryHash, acceptedAt: r.acceptedAt.toISOString(), receipt: receipts[index] }
      : { index, status: "rejected" as const, ...(r.entryHash ? { entryHash: r.entryHash } : {}), problem: problemOfRejection(r.error) },
  );
  const accepted = body.filter((r) => r.status === "accepted").length;
  timer();
  return json({ accepted, rejected: body.length - accepted, results: body, ...(unavailable ? { receiptUnavailable: unavailable } : {}) });
}

/**
 * `POST /api/v1/records`: reads one signed record from the request and answers as `answerSubmission`,
 * or problem+json. The route handler and the fast route of `npm start` both call it.
 */
export async function postRecord(runtime: () => Promise<Runtime>, request: Request): Promise<Response> {
  return answerProblems(async () => answerSubmission(await runtime(), await readSingleRecord(request)));
}

/**
 * `POST /api/v1/records/batch`: at most BATCH_MAX_CONCURRENT batches are read and checked at once,
 * each of at most BATCH_MAX_BYTES; answers as `answerBatchSubmission`, or problem+json. The route
 * handler and the fast route of `npm start` both call it.
 */
export async function postRecordBatch(runtime: () => Promise<Runtime>, request: Request): Promise<Response> {
  return answerProblems(async () => {
    const opened = await runtime();
    const { BATCH_MAX_BYTES, BATCH_MAX_CONCURRENT } = opened.config;
    return requestSlots("batch submissions", BATCH_MAX_CONCURRENT).run(async () => answerBatchSubmission(opened, await readRecordBatch(request, BATCH_MAX_BYTES)));
  });
}
