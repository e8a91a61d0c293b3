import { adminRoute } from "@/lib/server/admin-gates";
import { serializeTrustedCa } from "@/lib/admin/serialize";
import { json } from "@/lib/http/request";
import { distrustCa } from "@/lib/ledger/signers/trusted-cas";
import { ProtocolError } from "@/lib/protocol/errors";

export const dynamic = "force-dynamic";

/**
 * Distrusts a certification centre: its chains register no new signers. The record is kept, and
 * the signers registered through it keep their keys until revoked.
 */
export const DELETE = adminRoute<{ id: string }>("certification_centers", async ({ params, ledger, session, log }) => {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id < 1) throw new ProtocolError("invalid_request", `The certification centre id must be a positive whole number; got ${JSON.stringify(params.id)}.`);
  const ca = await distrustCa(ledger, id, session.email);
  await log({ action: "certification_center.distrust", target: ca.fingerprint, details: { id: ca.id, subject: ca.subject, signers: ca.signerCount } });
  return json({ certificationCenter: serializeTrustedCa(ca) });
});
