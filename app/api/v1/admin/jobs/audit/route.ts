import { z } from "zod";
import { readJsonBody } from "@/lib/admin/http/body";
import { adminRoute } from "@/lib/server/admin-gates";
import { streamJob } from "@/lib/admin/http/job-stream";
import { auditNow } from "@/lib/admin/jobs/audit-now";
import { takeAuditLock } from "@/db/job-lock";

export const dynamic = "force-dynamic";

/**
 * Runs the audit (`sealbook audit`, and with `{"chain": true}` also `--chain`). Answers with the
 * progress as NDJSON lines, then the whole report. 409 `conflict` while another audit runs.
 */
export const POST = adminRoute("audit", async ({ request, runtime, log }) => {
  const body = await readJsonBody(request, z.object({ chain: z.boolean().default(true) }));
  // One audit at a time: a second is answered 409 `conflict` before anything streams.
  const lock = await takeAuditLock(runtime.ledger);
  return streamJob((progress) => auditNow(runtime, { chain: body.chain }, progress), {
    finished: (outcome) =>
      lock.release().then(() => log({
        action: "audit",
        outcome: outcome.ok ? "ok" : "failed",
        details: outcome.ok
          ? { chain: outcome.result.chain.compared, ok: outcome.result.ok, findings: outcome.result.findings.length, head: outcome.result.head, checked: outcome.result.checked }
          : { chain: body.chain, error: outcome.failure.message },
      })),
  });
});
