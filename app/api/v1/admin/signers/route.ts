import { z } from "zod";
import { readJsonBody } from "@/lib/admin/http/body";
import { adminRoute } from "@/lib/server/admin-gates";
import { serializeAdminSigner } from "@/lib/admin/serialize";
import { listSignersForAdmin, registerSignerFromJwk } from "@/lib/admin/signer-admin";
import { serializeSigner } from "@/lib/http/serialize";
import { json } from "@/lib/http/request";
import { registerSignerFromCertificate } from "@/lib/ledger/signers/cert-signers";

export const dynamic = "force-dynamic";

/** The signer directory with entry counts and certificates. */
export const GET = adminRoute("read", async ({ ledger }) => json({ signers: (await listSignersForAdmin(ledger)).map(serializeAdminSigner) }));

const registration = z.union([
  z.object({
    jwk: z.record(z.string(), z.unknown()),
    label: z.string().max(200),
    organization: z.string().max(200).nullish(),
    validFrom: z.iso.datetime({ offset: true }).optional(),
  }),
  z.object({ certificate: z.string().max(32 * 1024), label: z.string().max(200).nullish(), organization: z.string().max(200).nullish() }),
]);

/**
 * Registers a signer key: `{"jwk", "label", "organization"?, "validFrom"?}` from a public JWK, or
 * `{"certificate": PEM, "label"?, "organization"?}` from its X.509 certificate (key extracted, the
 * certificate's validity kept). 201 when new, 200 when the key was registered already.
 */
export const POST = adminRoute("signers", async ({ request, ledger, log }) => {
  const body = await readJsonBody(request, registration, 48 * 1024);
  const { signer, created } =
    "jwk" in body
      ? await registerSignerFromJwk(ledger, { ...body, validFrom: body.validFrom ? new Date(body.validFrom) : undefined })
      : await registerSignerFromCertificate(ledger, body);
  const source = "jwk" in body ? "jwk" : "certificate";
  await log({ action: "signer.register", target: signer.kid, details: { label: signer.label, organization: signer.organization, alg: signer.alg, source, created } });
  return json({ signer: serializeSigner(signer), created }, { status: created ? 201 : 200 });
});
