import { readJsonBody } from "@/lib/admin/http/body";
import { adminRoute } from "@/lib/server/admin-gates";
import { evidenceRequestSchema, previewEvidence } from "@/lib/admin/evidence";

export const dynamic = "force-dynamic";

/** What an evidence bundle for the selection would hold: counts, blocks, anchored height. Changes nothing. */
export const POST = adminRoute("evidence", async ({ request, runtime }) => {
  const body = await readJsonBody(request, evidenceRequestSchema, 8 * 1024 * 1024);
  return Response.json(await previewEvidence(runtime, body), { headers: { "cache-control": "no-store" } });
});
