import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageIntro } from "@/components/ui/page-intro";
import { SearchForm } from "@/components/ui/search-form";
import { resolveSearch } from "@/lib/portal/search";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Search", robots: { index: false } };

/** Resolves the search box and redirects to the block or entry; explains when nothing matches. */
export default async function SearchPage({ searchParams }: { searchParams: Promise<{ q?: string | string[] }> }) {
  const { q } = await searchParams;
  const query = (Array.isArray(q) ? q[0] : q) ?? "";
  const result = await resolveSearch(await getLedger(), query);
  if (result.found) redirect(result.href);
  return (
    <>
      <PageIntro title="No match">
        <p role="status">{result.message}</p>
      </PageIntro>
      <div className="max-w-2xl rounded-lg border border-slate-200 bg-white p-4">
        <SearchForm defaultValue={query} />
      </div>
    </>
  );
}
