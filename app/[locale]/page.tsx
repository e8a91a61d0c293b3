import type { ReactNode } from "react";
import { AnchoringLagChart, EntriesPerBlockChart } from "@/components/charts/activity-charts";
import { BlockTable } from "@/components/blocks/block-table";
import { DateTime } from "@/components/ui/date-time";
import { HashValue } from "@/components/ui/hash-value";
import { PageIntro } from "@/components/ui/page-intro";
import { SearchForm } from "@/components/ui/search-form";
import { StatusBadge } from "@/components/ui/status-badge";
import { TrustNote } from "@/components/ui/trust-note";
import { getLedgerStatus, listBlocks } from "@/lib/ledger/reads";
import { getAnchoringProgress, listBlockActivity } from "@/lib/ledger/activity";
import { getChainSettings } from "@/lib/portal/chain-settings";
import { formatCount, formatDuration } from "@/lib/portal/format";
import { Link } from "@/lib/portal/i18n/navigation";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";
import { getRuntime } from "@/lib/server/runtime";

// The ledger grows while you read: this page is rendered for every request.
export const dynamic = "force-dynamic";

export default async function HomePage({ params }: { params: Promise<{ locale: string }> }) {
  const locale = await pageLocale(params);
  const [t, hashLabel] = await Promise.all([translator(locale, "home"), translator(locale, "common")]);
  const link = (href: string) => (chunks: ReactNode) => (
    <Link className="link" href={href}>
      {chunks}
    </Link>
  );
  const runtime = await getRuntime();
  const ledger = runtime.ledger;
  const [status, latest, activity, anchoring, chain] = await Promise.all([
    getLedgerStatus(ledger),
    listBlocks(ledger, { limit: 8 }),
    listBlockActivity(ledger, 30),
    getAnchoringProgress(ledger),
    getChainSettings(runtime),
  ]);
  const now = Date.now();
  const lagBlocks = status.head.height - (anchoring.lastAnchored?.height ?? 0);

  return (
    <>
      <PageIntro title={t("title")} eyebrow={t("eyebrow", { ledgerId: status.ledgerId })}>
        <p>{t("intro")}</p>
        <p>{t.rich("verifyOrBrowse", { link: link("/verify") })}</p>
      </PageIntro>

      <div className="mb-10 rounded-lg border border-slate-200 bg-white p-4">
        <SearchForm />
      </div>

      <section aria-labelledby="status-heading">
        <h2 id="status-heading" className="text-2xl font-semibold">
          {t("now")}
        </h2>
        <dl className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <StatusCard label={t("latest.label")}>
            {status.head.height === 0 ? (
              <p>{t("latest.none")}</p>
            ) : (
              <>
                <p className="text-2xl font-bold">
                  <Link className="link" href={`/blocks/${status.head.height}`}>
                    {t("blockN", { height: String(status.head.height) })}
                  </Link>
                </p>
                <p className="mt-1 text-sm text-slate-700">
                  {t("latest.sealed")} {status.head.sealedAt ? <DateTime at={status.head.sealedAt} /> : "—"}
                </p>
                <p className="mt-2 text-sm font-semibold text-slate-800">{t("latest.root")}</p>
                <HashValue value={status.head.root} label={hashLabel("hashLabel.latestRoot")} />
              </>
            )}
          </StatusCard>
          <StatusCard label={t("entries.label")}>
            <p className="text-2xl font-bold tabular-nums">{formatCount(status.totalEntries, locale)}</p>
            <p className="mt-1 text-sm text-slate-700">{t("entries.sealed")}</p>
            <p className="mt-2 tabular-nums">
              {formatCount(status.pendingCount, locale)} <span className="text-sm text-slate-700">{t("entries.pending", { count: status.pendingCount })}</span>
            </p>
          </StatusCard>
          <StatusCard label={t("anchoring.label")}>
            {anchoring.lastAnchored ? (
              <>
                <p className="text-2xl font-bold">
                  <Link className="link" href={`/blocks/${anchoring.lastAnchored.height}`}>
                    {t("blockN", { height: String(anchoring.lastAnchored.height) })}
                  </Link>
                </p>
                <p className="mt-1 text-sm text-slate-700">
                  {t("anchoring.lastAnchored")} <DateTime at={anchoring.lastAnchored.anchoredAt} />
                </p>
              </>
            ) : (
              <p className="font-semibold">{hashLabel("notAnchoredYet")}</p>
            )}
            <p className="mt-2">
              {lagBlocks <= 0 ? (
                <StatusBadge tone="good">{t("anchoring.allAnchored")}</StatusBadge>
              ) : (
                <StatusBadge tone="warn">{t("anchoring.waiting", { count: lagBlocks })}</StatusBadge>
              )}
            </p>
            {anchoring.oldestUnanchored ? (
              <p className="mt-1 text-sm text-slate-700">
                {t("anchoring.lag", { duration: formatDuration(now - anchoring.oldestUnanchored.sealedAt.getTime(), locale) })}
              </p>
            ) : null}
          </StatusCard>
          <StatusCard label={t("chain.label")}>
            {chain.registry ? (
              <>
                <p>{chain.chainId !== null ? t("chain.id", { id: String(chain.chainId) }) : t("chain.idUnknown")}</p>
                <p className="mt-2 text-sm font-semibold text-slate-800">{t("chain.registry")}</p>
                <HashValue value={chain.registry} label={hashLabel("hashLabel.registry")} />
                <p className="mt-2 text-sm text-slate-700">
                  {chain.rpcUrl ? (
                    <>
                      {t("chain.node")} <span className="break-all">{chain.rpcUrl}</span>
                    </>
                  ) : (
                    t("chain.noNode")
                  )}
                </p>
              </>
            ) : (
              <>
                <p className="font-semibold">{t("chain.notConfigured")}</p>
                <p className="mt-1 text-sm text-slate-700">{t("chain.notConfiguredExplain")}</p>
              </>
            )}
          </StatusCard>
        </dl>
      </section>

      <section aria-labelledby="activity-heading" className="mt-10">
        <h2 id="activity-heading" className="text-2xl font-semibold">
          {t("activity")}
        </h2>
        <div className="mt-4 grid gap-4 lg:grid-cols-2">
          <EntriesPerBlockChart blocks={activity} />
          <AnchoringLagChart blocks={activity} />
        </div>
      </section>

      <section aria-labelledby="latest-heading" className="mt-10">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="latest-heading" className="text-2xl font-semibold">
            {t("latestBlocks")}
          </h2>
          <Link className="link" href="/blocks">
            {t("allBlocks")}
          </Link>
        </div>
        <div className="mt-4">
          <BlockTable blocks={latest.blocks} caption={t("latestCaption")} />
        </div>
      </section>

      <TrustNote>
        <p>{t("trust1")}</p>
        <p>{t.rich("trust2", { verify: link("/verify"), about: link("/about") })}</p>
      </TrustNote>
    </>
  );
}

function StatusCard({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <dt className="text-sm font-semibold uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-2 min-w-0">{children}</dd>
    </div>
  );
}
