import type { Metadata } from "next";
import { DistrustCaButton, RevokeCaSignersButton, TrustCaForm } from "@/components/admin/certification-center-forms";
import { DateTime } from "@/components/ui/date-time";
import { HashValue } from "@/components/ui/hash-value";
import { StatusBadge } from "@/components/ui/status-badge";
import { requireAdminPage } from "@/lib/server/admin-page-gates";
import { listTrustedCas } from "@/lib/ledger/signers/trusted-cas";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Certification centres" };

/** The certification centres whose certificate chains register signers by themselves. */
export default async function CertificationCentersPage() {
  const { may } = await requireAdminPage("read", "/admin/certification-centers");
  const { ledger } = await getRuntime();
  const centres = await listTrustedCas(ledger);
  const now = ledger.now();

  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Certification centres</h1>
      <div className="max-w-3xl space-y-2 text-slate-700">
        <p>
          A record may carry its signer&apos;s certificate chain in its JWS <code>x5c</code> header. When the key is not in the directory yet,
          the ledger accepts the record if that chain leads to a centre trusted here: every certificate valid at that moment, the centres
          allowed to certify within their name constraints, and the signer&apos;s certificate meant for signing (digitalSignature or
          nonRepudiation, and no extended key usage other than document signing or e-mail protection). The key is then
          registered, linked to its certificate, and valid until the certificate ends.
        </p>
        <p>Revocation lists (CRL, OCSP) are not consulted: revoke a compromised key on the Signers page.</p>
      </div>
      {may.certification_centers ? <TrustCaForm /> : null}
      {centres.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4">No certification centre is trusted: records with an x5c chain register no signer.</p>
      ) : (
        <ul className="grid gap-4" aria-label="Certification centres">
          {centres.map((c) => (
            <li key={c.id} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
              <div className="flex flex-wrap items-start justify-between gap-2">
                <h2 className="break-words text-lg font-semibold">{c.subject}</h2>
                {c.removedAt ? (
                  <StatusBadge tone="neutral">Distrusted</StatusBadge>
                ) : c.notAfter < now ? (
                  <StatusBadge tone="bad">Expired</StatusBadge>
                ) : (
                  <StatusBadge tone="good">Trusted</StatusBadge>
                )}
              </div>
              <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
                <dt className="font-semibold text-slate-700">Issued by</dt>
                <dd className="break-words">{c.issuer === c.subject ? "itself (a root)" : c.issuer}</dd>
                <dt className="font-semibold text-slate-700">Serial</dt>
                <dd className="break-words font-mono">{c.serialNumber}</dd>
                <dt className="font-semibold text-slate-700">SHA-256</dt>
                <dd className="min-w-0">
                  <HashValue value={c.fingerprint} label={`fingerprint of ${c.subject}`} />
                </dd>
                <dt className="font-semibold text-slate-700">Valid</dt>
                <dd>
                  <DateTime at={c.notBefore} /> to <DateTime at={c.notAfter} />
                </dd>
                <dt className="font-semibold text-slate-700">Trusted</dt>
                <dd>
                  since <DateTime at={c.addedAt} />, by {c.addedBy}
                  {c.removedAt ? (
                    <>
                      ; distrusted <DateTime at={c.removedAt} /> by {c.removedBy}
                    </>
                  ) : null}
                </dd>
                <dt className="font-semibold text-slate-700">Signers registered</dt>
                <dd className="tabular-nums">
                  {c.signerCount} ({c.activeSignerCount} active)
                </dd>
              </dl>
              <details className="mt-3 text-sm">
                <summary className="cursor-pointer font-medium text-blue-900 underline">Certificate (PEM)</summary>
                <pre className="mt-2 overflow-x-auto rounded bg-slate-100 p-3 text-xs" tabIndex={0} aria-label={`Certificate of ${c.subject}`}>
                  {c.pem}
                </pre>
              </details>
              {may.certification_centers && !c.removedAt ? <DistrustCaButton id={c.id} subject={c.subject} activeSigners={c.activeSignerCount} /> : null}
              {may.certification_centers && c.removedAt && c.activeSignerCount > 0 ? (
                <RevokeCaSignersButton id={c.id} subject={c.subject} activeSigners={c.activeSignerCount} />
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
