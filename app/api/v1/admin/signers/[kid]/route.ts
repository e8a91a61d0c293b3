import { z } from "zod";
import { readJsonBody } from "@/lib/admin/http/body";
import { adminRoute } from "@/lib/server/admin-gates";
import { updateSignerDetails } from "@/lib/admin/signer-admin";
import { serializeSigner } from "@/lib/http/serialize";
import { json } from "@/lib/http/request";

export const dynamic = "force-dynamic";

/** Changes a signer's label and organization: `{"label", "organization"}` (null clears the organization). */
export const PATCH = adminRoute<{ kid: string }>("signers", async ({ request, params, ledger, log }) => {
  const body = await readJsonBody(request, z.object({ label: z.string().max(200), organization: z.string().max(200).nullable() }));
  const signer = await updateSignerDetails(ledger, params.kid, body);
  await log({ action: "signer.update", target: signer.kid, details: { label: signer.label, organization: signer.organization } });
  return json({ signer: serializeSigner(signer) });
});
