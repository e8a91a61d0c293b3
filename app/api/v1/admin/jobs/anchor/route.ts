import { z } from "zod";
import { readJsonBody } from "@/lib/admin/http/body";
import { adminRoute } from "@/lib/server/admin-gates";
import { streamJob } from "@/lib/admin/http/job-stream";
import { anchorNow, explainAnchorFailure, serializeAnchorPass } from "@/lib/admin/jobs/anchor-now";

export const dynamic = "force-dynamic";

/**
 * Runs an anchoring pass now (failed anchors are sent again); `{"recheckAlarm": true}` clears the
 * active chain alarm first. Answers with the progress as NDJSON lines, then the pass result.
 */
export const POST = adminRoute("anchor", async ({ request, runtime, log }) => {
  const body = await readJsonBody(request, z.strictObject({ recheckAlarm: z.boolean().optional() }));
  return streamJob((progress) => anchorNow(runtime, { recheckAlarm: body.recheckAlarm }, progress), {
    serialize: serializeAnchorPass,
    explain: explainAnchorFailure,
    finished: (outcome) =>
      log({
        action: "anchor",
        outcome: outcome.ok ? "ok" : "failed",
        details: {
          recheckAlarm: body.recheckAlarm ?? false,
          ...(outcome.ok
            ? { result: outcome.result.outcome, anchoredHeight: outcome.result.anchoredHeight, transactions: outcome.result.sent.map((s) => s.txHash) }
            : { error: outcome.failure.message }),
        },
      }),
  });
});
