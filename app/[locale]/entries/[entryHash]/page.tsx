import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CertificateLink } from "@/components/certificate/certificate-link";
import { DateTime } from "@/components/ui/date-time";
import { FieldList } from "@/components/ui/field-list";
import { HashValue } from "@/components/ui/hash-value";
import { PageIntro } from "@/components/ui/page-intro";
import { StatusBadge } from "@/components/ui/status-badge";
import { TrustNote } from "@/components/ui/trust-note";
import { evidenceFileName } from "@/lib/protocol/evidence";
import { readEntryPage } from "@/lib/portal/page-reads";
import { entryHashFromSegment } from "@/lib/portal/params";
import { getRuntime } from "@/lib/server/runtime";
import { Link } from "@/lib/portal/i18n/navigation";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";

// A pending entry becomes sealed, then anchored: read fresh on every request.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; entryHash: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "entry");
  return { title: t("title") };
}

export default async function EntryPage({ params }: Props) {
  const locale = await pageLocale(params);
  const [t, common] = await Promise.all([translator(locale, "entry"), translator(locale, "common")]);
  const entryHash = entryHashFromSegment((await params).entryHash);
  if (!entryHash) notFound();
  const { status, block } = await readEntryPage(await getRuntime(), entryHash);
  if (!status) notFound();

  return (
    <>
      <PageIntro title={t("title")} eyebrow={status.status === "sealed" ? t("sealedIn", { height: String(status.height) }) : t("waiting")}>
        <p>{t("intro")}</p>
      </PageIntro>

      <FieldList
        fields={[
          { label: t("entryHash"), value: <HashValue value={entryHash} label={common("hashLabel.entry")} /> },
          {
            label: t("status"),
            value:
              status.status === "sealed" ? (
                <span data-testid="entry-status" data-status="sealed">
                  <StatusBadge tone="good">{t("sealedIn", { height: String(status.height) })}</StatusBadge>
                </span>
              ) : (
                <span data-testid="entry-status" data-status="pending">
                  <StatusBadge tone="warn">{t("pending")}</StatusBadge>
                </span>
              ),
            hint:
              status.status === "sealed"
                ? t("leafHint", { leaf: String(status.leafIndex) })
                : t("pendingHint"),
          },
          { label: t("accepted"), value: <DateTime at={status.acceptedAt} /> },
          ...(status.status === "sealed" && block
            ? [
                {
                  label: t("block"),
                  value: (
                    <Link className="link" href={`/blocks/${block.height}`}>
                      {t("blockN", { height: String(block.height) })}
                    </Link>
                  ),
                  hint: (
                    <>
                      {t("sealedAt")} <DateTime at={block.sealedAt} />.
                    </>
                  ),
                },
                {
                  label: t("onChain"),
                  value: block.anchor ? <StatusBadge tone="good">{common("anchored")}</StatusBadge> : <StatusBadge tone="warn">{common("notAnchoredYet")}</StatusBadge>,
                  hint: block.anchor ? (
                    <>
                      {t.rich("anchoredHint", { tx: block.anchor.txHash, chain: String(block.anchor.chainId), code: (chunks) => <code className="hash">{chunks}</code> })}
                    </>
                  ) : (
                    t("notAnchoredHint")
                  ),
                },
              ]
            : []),
        ]}
      />

      <div className="mt-6 flex flex-wrap gap-3">
        {status.status === "sealed" ? (
          <>
          <Link href={`/verify?entry=${entryHash}`} className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900">
            {t("verify")}
          </Link>
          <a
            href={`/api/v1/proofs/${entryHash}`}
            download={`proof-${entryHash}.json`}
            className="rounded border border-slate-300 bg-white px-4 py-2 font-semibold text-blue-900 hover:bg-slate-100"
          >
            {t("downloadProof")}
          </a>
          {block?.anchor ? (
            <a
              href={`/api/v1/evidence/${entryHash}`}
              download={evidenceFileName(`evidence-${entryHash.slice(0, 18)}`)}
              data-testid="evidence-download"
              className="rounded border border-slate-300 bg-white px-4 py-2 font-semibold text-blue-900 hover:bg-slate-100"
            >
              {t("downloadEvidence")}
            </a>
          ) : null}
          </>
        ) : null}
        <CertificateLink entryHash={entryHash} />
      </div>

      <TrustNote>
        <p>{t("trust1")}</p>
        <p>
          {t.rich("trust2", {
            code: (chunks) => <code>{chunks}</code>,
            link: (chunks) => (
              <Link className="link" href="/verify">
                {chunks}
              </Link>
            ),
          })}
        </p>
      </TrustNote>
    </>
  );
}
