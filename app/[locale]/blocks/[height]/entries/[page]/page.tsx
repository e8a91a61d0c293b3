import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BlockEntries } from "@/components/blocks/block-entries";
import { PageIntro } from "@/components/ui/page-intro";
import { TrustNote } from "@/components/ui/trust-note";
import { getBlock } from "@/lib/ledger/reads";
import { Link } from "@/lib/portal/i18n/navigation";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";
import { ENTRIES_PER_PAGE, heightFromSegment, pageFromSegment } from "@/lib/portal/params";
import { getLedger } from "@/lib/server/runtime";

// The entries of a sealed block never change: cached, refreshed now and then in the background.
export const revalidate = 300;
export const dynamicParams = true;
export function generateStaticParams(): Array<{ height: string; page: string }> {
  return [];
}

type Params = { params: Promise<{ locale: string; height: string; page: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "blocks");
  const { height, page } = await params;
  return { title: t("entriesPage.metaTitle", { height: String(heightFromSegment(height) ?? "?"), page: String(pageFromSegment(page) ?? "?") }) };
}

export default async function BlockEntriesPage({ params }: Params) {
  const locale = await pageLocale(params);
  const t = await translator(locale, "blocks");
  const segments = await params;
  const height = heightFromSegment(segments.height);
  const page = pageFromSegment(segments.page);
  if (height === null || page === null) notFound();
  const ledger = await getLedger();
  const block = await getBlock(ledger, height);
  if (!block || (page - 1) * ENTRIES_PER_PAGE >= Math.max(block.entryCount, 1)) notFound();
  return (
    <>
      <PageIntro title={t("entriesPage.title", { height: String(height), page: String(page) })} eyebrow={t("block.eyebrow")}>
        <p>
          {t.rich("entriesPage.intro", {
            height: String(height),
            link: (chunks) => (
              <Link className="link" href={`/blocks/${height}`}>
                {chunks}
              </Link>
            ),
          })}
        </p>
      </PageIntro>
      <BlockEntries ledger={ledger} block={block} page={page} locale={locale} />
      <TrustNote>
        <p>{t("entriesPage.trust", { height: String(height) })}</p>
      </TrustNote>
    </>
  );
}
