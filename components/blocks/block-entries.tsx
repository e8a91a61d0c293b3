import { listBlockEntries, type BlockSummary } from "@/lib/ledger/reads";
import type { LedgerContext } from "@/lib/ledger/context";
import { formatCount } from "@/lib/portal/format";
import type { Locale } from "@/lib/portal/i18n/routing";
import { translator } from "@/lib/portal/i18n/translator";
import { ENTRIES_PER_PAGE } from "@/lib/portal/params";
import { Pager } from "../ui/pager";
import { EntryTable } from "./entry-table";

/** One page (1-based) of a block's entries with links to the neighbouring pages, and the downloads. */
export async function BlockEntries({ ledger, block, page, locale }: { ledger: LedgerContext; block: BlockSummary; page: number; locale: Locale }) {
  const blocks = await translator(locale, "blocks");
  const t = (key: string, values?: Record<string, string | number>) => blocks(`entries.${key}`, values);
  const count = (n: number) => formatCount(n, locale);
  const pages = Math.max(1, Math.ceil(block.entryCount / ENTRIES_PER_PAGE));
  const { entries } = await listBlockEntries(ledger, block.height, { from: (page - 1) * ENTRIES_PER_PAGE, limit: ENTRIES_PER_PAGE });
  const first = (page - 1) * ENTRIES_PER_PAGE;
  const pageHref = (n: number) => `/blocks/${block.height}/entries/${n}`;
  return (
    <section aria-labelledby="entries-heading" className="mt-10">
      <h2 id="entries-heading" className="text-2xl font-semibold">
        {t("heading", { height: String(block.height) })}
      </h2>
      <p className="mt-1 max-w-prose text-slate-700">{t("explain")}</p>
      <ul className="mt-3 flex flex-wrap gap-3" aria-label={t("downloads")}>
        <li>
          <a className="link" href={`/api/v1/blocks/${block.height}/entries?download=json`} download>
            {t("downloadJson", { count: block.entryCount, formatted: count(block.entryCount) })}
          </a>
        </li>
        <li>
          <a className="link" href={`/api/v1/blocks/${block.height}/entries?download=csv`} download>
            {t("downloadCsv", { count: block.entryCount, formatted: count(block.entryCount) })}
          </a>
        </li>
      </ul>
      <div className="mt-4">
        {entries.length > 0 ? (
          <EntryTable entries={entries} caption={t("caption", { from: first + 1, to: first + entries.length, height: String(block.height) })} />
        ) : (
          <p className="rounded-lg border border-slate-200 bg-white p-4">{t("emptyPage")}</p>
        )}
      </div>
      <Pager
        label={t("pagerLabel")}
        previous={page > 1 ? { href: page === 2 ? `/blocks/${block.height}` : pageHref(page - 1), text: t("previous") } : null}
        next={page < pages ? { href: pageHref(page + 1), text: t("more") } : null}
        position={
          entries.length > 0
            ? t("position", { page, pages, from: count(first + 1), to: count(first + entries.length), total: count(block.entryCount) })
            : t("positionEmpty", { page, pages })
        }
      />
    </section>
  );
}
