import { adminRoute } from "@/lib/server/admin-gates";
import { json } from "@/lib/http/request";
import { revokeSignersOfCa } from "@/lib/ledger/signers/trusted-cas";
import { ProtocolError } from "@/lib/protocol/errors";

export const dynamic = "force-dynamic";

/**
 * Revokes, from now on, every still-active signer key registered through a distrusted
 * certification centre. Answers the kids revoked.
 */
export const POST = adminRoute<{ id: string }>("certification_centers", async ({ params, ledger, log }) => {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id < 1) throw new ProtocolError("invalid_request", `The certification centre id must be a positive whole number; got ${JSON.stringify(params.id)}.`);
  const revoked = await revokeSignersOfCa(ledger, id);
  await log({ action: "certification_center.revoke_signers", target: String(id), details: { id, revoked: revoked.length, kids: revoked } });
  return json({ revoked });
});
