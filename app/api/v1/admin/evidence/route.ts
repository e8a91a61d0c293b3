import { readJsonBody } from "@/lib/admin/http/body";
import { adminRoute } from "@/lib/server/admin-gates";
import { evidenceRequestSchema, evidenceStream, selectionOf } from "@/lib/admin/evidence";
import { planEvidence, planSummary } from "@/lib/ledger/evidence";
import { ProtocolError } from "@/lib/protocol/errors";
import { EVIDENCE_MEDIA_TYPE, evidenceFileName } from "@/lib/protocol/evidence";

export const dynamic = "force-dynamic";

/**
 * Makes the evidence bundle (PROTOCOL §8) of a selection and streams it as a download. Every
 * bundle made is written to the admin log: who, which selection, what it held, when.
 */
export const POST = adminRoute("evidence", async ({ request, runtime, log }) => {
  const body = await readJsonBody(request, evidenceRequestSchema, 8 * 1024 * 1024);
  const plan = await planEvidence(runtime.ledger, selectionOf(body));
  const summary = planSummary(plan);
  if (plan.included === 0) {
    throw new ProtocolError("not_found", "None of the selected records is sealed in an anchored block yet, so there is nothing to put in an evidence bundle.", { ...summary });
  }
  const s = body.selection;
  const selection =
    s.by === "signer" ? s : s.by === "entries" ? { by: s.by, count: s.entryHashes.length, first: s.entryHashes.slice(0, 20) } : { by: s.by, count: s.recordIds.length, first: s.recordIds.slice(0, 20) };
  await log({ action: "evidence", target: s.by === "signer" ? s.kid : `${plan.included} record(s)`, details: { selection, public: body.public, ...summary, unknown: summary.unknown.slice(0, 20) } });
  const name = evidenceFileName(`evidence-${runtime.ledger.ledgerId}-${runtime.ledger.now().toISOString().slice(0, 19).replace(/:/g, "")}`);
  return new Response(await evidenceStream(runtime, plan, body.public), {
    headers: { "content-type": EVIDENCE_MEDIA_TYPE, "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
  });
});
