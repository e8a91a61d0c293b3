import { z } from "zod";
import { readJsonBody } from "@/lib/admin/http/body";
import { adminRoute } from "@/lib/server/admin-gates";
import { serializeTrustedCa } from "@/lib/admin/serialize";
import { json } from "@/lib/http/request";
import { addTrustedCa, listTrustedCas } from "@/lib/ledger/signers/trusted-cas";

export const dynamic = "force-dynamic";

/** The certification centres trusted now and formerly. */
export const GET = adminRoute("read", async ({ ledger }) => json({ certificationCenters: (await listTrustedCas(ledger)).map(serializeTrustedCa) }));

/**
 * Trusts a certification centre: `{"certificate": PEM}` of its CA certificate. 201 when new, 200
 * when it was trusted already.
 */
export const POST = adminRoute("certification_centers", async ({ request, ledger, session, log }) => {
  const body = await readJsonBody(request, z.object({ certificate: z.string().max(32 * 1024) }), 48 * 1024);
  const { ca, created } = await addTrustedCa(ledger, body.certificate, session.email);
  await log({ action: "certification_center.trust", target: ca.fingerprint, details: { id: ca.id, subject: ca.subject, notAfter: ca.notAfter.toISOString(), created } });
  return json({ certificationCenter: serializeTrustedCa(ca), created }, { status: created ? 201 : 200 });
});
