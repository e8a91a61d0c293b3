import type { Metadata } from "next";
import { DateTime } from "@/components/ui/date-time";
import { HashValue } from "@/components/ui/hash-value";
import { PageIntro } from "@/components/ui/page-intro";
import { StatusBadge } from "@/components/ui/status-badge";
import { TrustNote } from "@/components/ui/trust-note";
import { listSigners } from "@/lib/ledger/signers";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";
import { getLedger } from "@/lib/server/runtime";

// A key can be revoked at any moment: always read fresh.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "signers");
  return { title: t("metaTitle"), description: t("metaDescription") };
}

const TONE = { active: "good", revoked: "bad", not_yet_valid: "warn" } as const;

export default async function SignersPage({ params }: Props) {
  const t = await translator(await pageLocale(params), "signers");
  const signers = await listSigners(await getLedger());
  const now = new Date();
  return (
    <>
      <PageIntro title={t("title")}>
        <p>{t("intro")}</p>
      </PageIntro>
      {signers.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4">{t("none")}</p>
      ) : (
        <ul className="grid gap-4 lg:grid-cols-2" aria-label={t("listLabel")}>
          {signers.map((signer) => {
            return (
              <li key={signer.kid} className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <h2 className="text-lg font-semibold">{signer.label}</h2>
                  <StatusBadge tone={TONE[signer.status]}>{t(`status.${signer.status}`)}</StatusBadge>
                </div>
                {signer.organization ? <p className="text-slate-700">{signer.organization}</p> : null}
                <dl className="mt-3 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[9rem_1fr]">
                  <dt className="font-semibold text-slate-700">{t("keyId")}</dt>
                  <dd className="min-w-0">
                    <HashValue value={signer.kid} label={t("keyIdOf", { label: signer.label })} />
                  </dd>
                  <dt className="font-semibold text-slate-700">{t("algorithm")}</dt>
                  <dd>{signer.alg === "EdDSA" ? "EdDSA (Ed25519)" : signer.alg === "ES256" ? "ES256 (ECDSA P-256)" : signer.alg}</dd>
                  <dt className="font-semibold text-slate-700">{t("validFrom")}</dt>
                  <dd>
                    <DateTime at={signer.validFrom} />
                  </dd>
                  {signer.revokedAt ? (
                    <>
                      {/* A certificate's expiry is a planned end, not yet a revocation. */}
                      <dt className="font-semibold text-slate-700">{signer.revokedAt > now ? t("validUntil") : t("revokedAt")}</dt>
                      <dd>
                        <DateTime at={signer.revokedAt} />
                        {signer.revocationReason ? `: ${signer.revocationReason}` : ""}
                      </dd>
                    </>
                  ) : null}
                </dl>
                <details className="mt-3 text-sm">
                  <summary className="cursor-pointer font-medium text-blue-900 underline">{t("publicKey")}</summary>
                  <pre className="mt-2 overflow-x-auto rounded bg-slate-100 p-3 text-xs" tabIndex={0} aria-label={t("publicKeyOf", { label: signer.label })}>
                    {JSON.stringify(signer.publicJwk, null, 2)}
                  </pre>
                </details>
              </li>
            );
          })}
        </ul>
      )}
      <TrustNote>
        <p>{t("trust1")}</p>
        <p>
          {t.rich("trust2", {
            link: (chunks) => (
              <a className="link" href="/api/v1/signers">
                {chunks}
              </a>
            ),
          })}
        </p>
      </TrustNote>
    </>
  );
}
