import { issueReceipts } from "../ledger/receipts";
import { submitRecords } from "../ledger/ingest";
import { submitRecord } from "../ledger/ingest-batcher";
import { metrics } from "../observability/metrics";
import type { Runtime } from "../server/runtime";
import { problemOfRejection } from "./problem";
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
    const { receipts, unavailable } = await issueReceipts(runtime.config, [{ ok: true, ...accepted }]);
    return json(
      {
        entryHash: accepted.entryHash,
        acceptedAt: accepted.acceptedAt.toISOString(),
        receipt: receipts[0],
        ...(unavailable ? { receiptUnavailable: unavailable } : {}),
      },
      { status: 201 },
    );
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
  const { receipts, unavailable } = await issueReceipts(runtime.config, results);
  const body = results.map((r, index) =>
    r.ok
      ? { index, status: "accepted" as const, entryHash: r.entryHash, acceptedAt: r.acceptedAt.toISOString(), receipt: receipts[index] }
      : { index, status: "rejected" as const, ...(r.entryHash ? { entryHash: r.entryHash } : {}), problem: problemOfRejection(r.error) },
  );
  const accepted = body.filter((r) => r.status === "accepted").length;
  timer();
  return json({ accepted, rejected: body.length - accepted, results: body, ...(unavailable ? { receiptUnavailable: unavailable } : {}) });
}
