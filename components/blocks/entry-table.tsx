import { useLocale, useTranslations } from "next-intl";
import type { PublicEntry } from "@/lib/ledger/reads";

/**
 * A page of a block's entries: leaf position, entry hash (linked) and its proof bundle. The cell
 * styles live in globals.css (.entry-table): this table is most of a cached block page's bytes.
 * Plain links, not next/link: a page of entry links would otherwise hydrate and prefetch each one.
 */
export function EntryTable({ entries, caption }: { entries: PublicEntry[]; caption: string }) {
  const t = useTranslations("blocks.entryTable");
  const locale = useLocale();
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <table className="entry-table w-full table-fixed border-collapse text-left">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-100 text-sm text-slate-800">
          <tr>
            <th scope="col" className="w-12 sm:w-16">
              {t("leaf")}
            </th>
            <th scope="col">{t("entryHash")}</th>
            <th scope="col" className="w-16 sm:w-32">
              {t("proof")}
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={entry.entryHash}>
              <td>{entry.leafIndex}</td>
              <td>
                <a href={`/${locale}/entries/${entry.entryHash}`}>{entry.entryHash}</a>
              </td>
              <td>
                <a href={`/api/v1/proofs/${entry.entryHash}`}>
                  JSON<span className="sr-only"> {t("proofOf", { leaf: String(entry.leafIndex) })}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
