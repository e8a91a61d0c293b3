import type { Metadata } from "next";
import { RegisterSignerForm } from "@/components/admin/register-signer-form";
import { SignerActions } from "@/components/admin/signer-actions";
import { DateTime } from "@/components/ui/date-time";
import { HashValue } from "@/components/ui/hash-value";
import { StatusBadge } from "@/components/ui/status-badge";
import { requireAdminPage } from "@/lib/server/admin-page-gates";
import { listSignersForAdmin } from "@/lib/admin/signer-admin";
import { formatCount } from "@/lib/portal/format";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Signers" };

const STATUS = {
  active: { tone: "good", text: "Active" },
  revoked: { tone: "bad", text: "Revoked" },
  not_yet_valid: { tone: "warn", text: "Not valid yet" },
} as const;

/** The signer directory as operators manage it: register, relabel, revoke; entries signed and certificates. */
export default async function SignersAdminPage() {
  const { may } = await requireAdminPage("read", "/admin/signers");
  const { ledger } = await getRuntime();
  const signers = await listSignersForAdmin(ledger);
  const now = ledger.now();

  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Signers</h1>
      {may.signers ? <RegisterSignerForm /> : null}
      {signers.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4">No signer is registered yet.</p>
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2" aria-label="Registered signers">
          {signers.map((s) => {
            const status = STATUS[s.status];
            const scheduledEnd = s.revokedAt && s.revokedAt > now;
            return (
              <li key={s.kid} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <h2 className="text-lg font-semibold">{s.label}</h2>
                  <StatusBadge tone={status.tone}>{status.text}</StatusBadge>
                </div>
                {s.organization ? <p className="text-slate-700">{s.organization}</p> : null}
                <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[9rem_1fr]">
                  <dt className="font-semibold text-slate-700">Key id</dt>
                  <dd className="min-w-0">
                    <HashValue value={s.kid} label={`key id of ${s.label}`} />
                  </dd>
                  <dt className="font-semibold text-slate-700">Algorithm</dt>
                  <dd>{s.alg}</dd>
                  <dt className="font-semibold text-slate-700">Valid from</dt>
                  <dd>
                    <DateTime at={s.validFrom} />
                  </dd>
                  {s.revokedAt ? (
                    <>
                      <dt className="font-semibold text-slate-700">{scheduledEnd ? "Valid until" : "Revoked"}</dt>
                      <dd>
                        <DateTime at={s.revokedAt} />
                        {s.revocationReason ? `: ${s.revocationReason}` : ""}
                      </dd>
                    </>
                  ) : null}
                  <dt className="font-semibold text-slate-700">Entries signed</dt>
                  <dd className="tabular-nums">{formatCount(s.entryCount)}</dd>
                  {s.certificate ? (
                    <>
                      <dt className="font-semibold text-slate-700">Certificate</dt>
                      <dd className="min-w-0 break-words">
                        {s.certificate.subject}, serial {s.certificate.serialNumber}, issued by {s.certificate.issuer}
                        <span className="block text-slate-600">
                          {s.certificate.trustedCaSubject ? `Registered through the trusted centre ${s.certificate.trustedCaSubject}` : "Uploaded by an admin"}; valid{" "}
                          <DateTime at={s.certificate.notBefore} /> to <DateTime at={s.certificate.notAfter} />
                        </span>
                      </dd>
                    </>
                  ) : null}
                </dl>
                {may.signers ? <SignerActions kid={s.kid} label={s.label} organization={s.organization} revocable={s.status !== "revoked"} /> : null}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
