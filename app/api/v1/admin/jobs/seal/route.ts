import { adminRoute } from "@/lib/server/admin-gates";
import { streamJob } from "@/lib/admin/http/job-stream";
import { sealNow, serializeSealResult } from "@/lib/admin/jobs/seal-now";

export const dynamic = "force-dynamic";

/** Seals the pending entries now; answers with the progress as NDJSON lines, then the block (or none). */
export const POST = adminRoute("seal", async ({ ledger, log }) =>
  streamJob((progress) => sealNow(ledger, progress), {
    serialize: serializeSealResult,
    finished: (outcome) =>
      log({
        action: "seal",
        target: outcome.ok && outcome.result ? `block ${outcome.result.height}` : null,
        outcome: outcome.ok ? "ok" : "failed",
        details: outcome.ok ? { sealed: outcome.result ? { height: outcome.result.height, entries: outcome.result.entryCount } : null } : { error: outcome.failure.message },
      }),
  }),
);
