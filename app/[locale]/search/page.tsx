import type { Metadata } from "next";
import { PageIntro } from "@/components/ui/page-intro";
import { SearchForm } from "@/components/ui/search-form";
import { redirect } from "@/lib/portal/i18n/navigation";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";
import { resolveSearch } from "@/lib/portal/search";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ q?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "search");
  return { title: t("metaTitle"), robots: { index: false } };
}

/** Resolves the search box and redirects to the block or entry, in the same language; explains when nothing matches. */
export default async function SearchPage({ params, searchParams }: Props) {
  const locale = await pageLocale(params);
  const t = await translator(locale, "search");
  const { q } = await searchParams;
  const query = (Array.isArray(q) ? q[0] : q) ?? "";
  const result = await resolveSearch(await getLedger(), query);
  if (result.found) return redirect({ href: result.href, locale });
  return (
    <>
      <PageIntro title={t("noMatch")}>
        <p role="status">{t(`reason.${result.code}`, result.values)}</p>
      </PageIntro>
      <div className="max-w-2xl rounded-lg border border-slate-200 bg-white p-4">
        <SearchForm defaultValue={query} />
      </div>
    </>
  );
}
