import { z } from "zod";
import { readJsonBody } from "@/lib/admin/http/body";
import { adminRoute } from "@/lib/server/admin-gates";
import { revokeSignerFrom } from "@/lib/admin/signer-admin";
import { serializeSigner } from "@/lib/http/serialize";
import { json } from "@/lib/http/request";

export const dynamic = "force-dynamic";

/**
 * Revokes a signer's key: `{"reason", "at"?}` (RFC 3339; default now; never in the past). Final:
 * records it signs are rejected from `at` on.
 */
export const POST = adminRoute<{ kid: string }>("signers", async ({ request, params, ledger, log }) => {
  const body = await readJsonBody(request, z.object({ reason: z.string().max(500), at: z.iso.datetime({ offset: true }).optional() }));
  const { signer, changed } = await revokeSignerFrom(ledger, params.kid, { reason: body.reason, at: body.at ? new Date(body.at) : ledger.now() });
  await log({ action: "signer.revoke", target: signer.kid, details: { reason: body.reason, requestedAt: body.at ?? null, revokedAt: signer.revokedAt?.toISOString() ?? null, changed } });
  return json({ signer: serializeSigner(signer), changed });
});
