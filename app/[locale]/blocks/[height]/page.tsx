import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AnchorFields, BlockHeaderFields } from "@/components/blocks/block-fields";
import { BlockEntries } from "@/components/blocks/block-entries";
import { LiveRootCheck } from "@/components/chain/live-root-check";
import { ClientTexts } from "@/components/layout/client-texts";
import { PageIntro } from "@/components/ui/page-intro";
import { TrustNote } from "@/components/ui/trust-note";
import { getBlock } from "@/lib/ledger/reads";
import { getChainSettings } from "@/lib/portal/chain-settings";
import { formatCount } from "@/lib/portal/format";
import { Link } from "@/lib/portal/i18n/navigation";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";
import { heightFromSegment } from "@/lib/portal/params";
import { getRuntime } from "@/lib/server/runtime";

// A sealed block never changes, so its page is rendered once and served from the cache. Only its
// anchoring status can appear later: the cached page is refreshed in the background every 30 s.
export const revalidate = 30;
export const dynamicParams = true;
export function generateStaticParams(): Array<{ height: string }> {
  return [];
}

type Params = { params: Promise<{ locale: string; height: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "blocks");
  const height = heightFromSegment((await params).height);
  return { title: height ? t("block.title", { height: String(height) }) : t("block.titleUnknown") };
}

export default async function BlockPage({ params }: Params) {
  const locale = await pageLocale(params);
  const t = await translator(locale, "blocks");
  const height = heightFromSegment((await params).height);
  if (height === null) notFound();
  const runtime = await getRuntime();
  const ledger = runtime.ledger;
  const [block, next, chain] = await Promise.all([getBlock(ledger, height), getBlock(ledger, height + 1), getChainSettings(runtime)]);
  if (!block) notFound();
  const registry = block.anchor?.registry ?? chain.registry;
  const linkClass = "rounded border border-slate-300 bg-white px-3 py-2 font-medium text-blue-900 hover:bg-slate-100";

  return (
    <>
      <PageIntro title={t("block.title", { height: String(block.height) })} eyebrow={t("block.eyebrow")}>
        <p>{t("block.intro", { count: block.entryCount, formatted: formatCount(block.entryCount, locale) })}</p>
      </PageIntro>

      <nav aria-label={t("block.neighbours")} className="mb-6 flex flex-wrap gap-3">
        {block.height > 1 ? (
          <Link className={linkClass} href={`/blocks/${block.height - 1}`} rel="prev">
            ← {t("block.title", { height: String(block.height - 1) })}
          </Link>
        ) : null}
        {next ? (
          <Link className={linkClass} href={`/blocks/${next.height}`} rel="next">
            {t("block.title", { height: String(next.height) })} →
          </Link>
        ) : null}
        <Link className="rounded px-3 py-2 font-medium text-blue-900 underline" href="/blocks">
          {t("block.all")}
        </Link>
      </nav>

      <section aria-labelledby="header-heading">
        <h2 id="header-heading" className="mb-3 text-2xl font-semibold">
          {t("block.header")}
        </h2>
        <BlockHeaderFields block={block} />
      </section>

      <section aria-labelledby="anchor-heading" className="mt-10">
        <h2 id="anchor-heading" className="mb-3 text-2xl font-semibold">
          {t("block.anchoring")}
        </h2>
        <AnchorFields block={block} />
        <div className="mt-4">
          <ClientTexts locale={locale} namespaces={["liveCheck"]}>
            <LiveRootCheck
              height={block.height}
              root={block.root}
              registry={registry}
              rpcUrl={chain.rpcUrl ?? chain.rpcSuggestions[0] ?? null}
              rpcIsSuggestion={chain.rpcUrl === null}
              chainId={block.anchor?.chainId ?? chain.chainId}
            />
          </ClientTexts>
        </div>
      </section>

      <BlockEntries ledger={ledger} block={block} page={1} locale={locale} />

      <TrustNote>
        <p>
          {t.rich("block.trust", {
            height: String(block.height),
            link: (chunks) => (
              <Link className="link" href="/about#check-by-hand">
                {chunks}
              </Link>
            ),
          })}
        </p>
      </TrustNote>
    </>
  );
}
