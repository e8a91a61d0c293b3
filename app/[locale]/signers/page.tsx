import type { Metadata } from "next";
import { DateTime } from "@/components/ui/date-time";
import { HashValue } from "@/components/ui/hash-value";
import { PageIntro } from "@/components/ui/page-intro";
import { StatusBadge } from "@/components/ui/status-badge";
import { TrustNote } from "@/components/ui/trust-note";
import { listSigners } from "@/lib/ledger/signers";
import { getLedger } from "@/lib/server/runtime";

// A key can be revoked at any moment: always read fresh.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Signers", description: "The public directory of keys allowed to sign records." };

const STATUS = {
  active: { tone: "good", text: "Active" },
  revoked: { tone: "bad", text: "Revoked" },
  not_yet_valid: { tone: "warn", text: "Not valid yet" },
} as const;

export default async function SignersPage() {
  const signers = await listSigners(await getLedger());
  const now = new Date();
  return (
    <>
      <PageIntro title="Signer directory">
        <p>
          Only the organisations and professionals listed here can add records to the ledger. Each one signs its records with a private
          key that only it holds; this directory publishes the matching public keys, so anyone can check a signature.
        </p>
      </PageIntro>
      {signers.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4">No signer is registered yet.</p>
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2" aria-label="Registered signers">
          {signers.map((signer) => {
            const status = STATUS[signer.status];
            return (
              <li key={signer.kid} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <h2 className="text-lg font-semibold">{signer.label}</h2>
                  <StatusBadge tone={status.tone}>{status.text}</StatusBadge>
                </div>
                {signer.organization ? <p className="text-slate-700">{signer.organization}</p> : null}
                <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[9rem_1fr]">
                  <dt className="font-semibold text-slate-700">Key id</dt>
                  <dd className="min-w-0">
                    <HashValue value={signer.kid} label={`key id of ${signer.label}`} />
                  </dd>
                  <dt className="font-semibold text-slate-700">Algorithm</dt>
                  <dd>{signer.alg === "EdDSA" ? "EdDSA (Ed25519)" : signer.alg === "ES256" ? "ES256 (ECDSA P-256)" : signer.alg}</dd>
                  <dt className="font-semibold text-slate-700">Valid from</dt>
                  <dd>
                    <DateTime at={signer.validFrom} />
                  </dd>
                  {signer.revokedAt ? (
                    <>
                      {/* A certificate's expiry is a planned end, not yet a revocation. */}
                      <dt className="font-semibold text-slate-700">{signer.revokedAt > now ? "Valid until" : "Revoked"}</dt>
                      <dd>
                        <DateTime at={signer.revokedAt} />
                        {signer.revocationReason ? `: ${signer.revocationReason}` : ""}
                      </dd>
                    </>
                  ) : null}
                </dl>
                <details className="mt-3 text-sm">
                  <summary className="cursor-pointer font-medium text-blue-900 underline">Public key (JWK)</summary>
                  <pre className="mt-2 overflow-x-auto rounded bg-slate-100 p-3 text-xs" tabIndex={0} aria-label={`Public key of ${signer.label}`}>
                    {JSON.stringify(signer.publicJwk, null, 2)}
                  </pre>
                </details>
              </li>
            );
          })}
        </ul>
      )}
      <TrustNote>
        <p>
          A revoked key can sign nothing new: the ledger rejects its records from the moment of revocation. Records it signed before stay
          valid, because they were accepted while the key was in good standing; the directory keeps revoked keys so that those records can
          still be checked.
        </p>
        <p>
          The key id is the key’s own fingerprint (an RFC 7638 thumbprint), so a listed key cannot be swapped for another without its id
          changing. The same directory is published as JSON at{" "}
          <a className="link" href="/api/v1/signers">
            /api/v1/signers
          </a>
          .
        </p>
      </TrustNote>
    </>
  );
}
