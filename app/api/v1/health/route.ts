import { getHealth } from "@/lib/chain/health";
import { answerProblems } from "@/lib/http/problem";
import { json } from "@/lib/http/request";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/**
 * The ledger's health: `status` ok, warn or alarm, and each check (database, sealing against the
 * sealBy of receipts, anchoring, receipts). 200 whenever the database answers, whatever the
 * status (a warning must not take an instance out of a load balancer); when it does not, 503 as
 * a problem document carrying the same checks in `health`.
 */
export async function GET(): Promise<Response> {
  return answerProblems(async () => {
    const health = await getHealth(await getRuntime());
    if (health.checks.database.status !== "alarm") return json(health);
    const problem = { type: "/api#problem-unavailable", title: "The database does not answer", status: 503, detail: health.checks.database.message, code: "unavailable", health };
    return new Response(JSON.stringify(problem), { status: 503, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } });
  });
}
