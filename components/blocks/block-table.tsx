import { useLocale, useTranslations } from "next-intl";
import type { BlockSummary } from "@/lib/ledger/reads";
import { formatCount, shortHash } from "@/lib/portal/format";
import { Link } from "@/lib/portal/i18n/navigation";
import { DateTime } from "../ui/date-time";
import { StatusBadge } from "../ui/status-badge";

/** Sealed blocks as a table: height, when sealed, size, root and whether it is on chain. */
export function BlockTable({ blocks, caption }: { blocks: BlockSummary[]; caption: string }) {
  const t = useTranslations("blocks.table");
  const common = useTranslations("common");
  const locale = useLocale();
  if (blocks.length === 0) return <p className="rounded-lg border border-slate-200 bg-white p-4">{t("empty")}</p>;
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <table className="w-full border-collapse text-left">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-100 text-sm text-slate-800">
          <tr>
            <th scope="col" className="px-3 py-2 font-semibold">
              {t("block")}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-semibold sm:table-cell">
              {t("sealed")}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-semibold">
              {t("entries")}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-semibold lg:table-cell">
              {t("root")}
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              {t("onChain")}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {blocks.map((block) => (
            <tr key={block.height}>
              <th scope="row" className="px-3 py-2 font-semibold">
                <Link className="link" href={`/blocks/${block.height}`} prefetch={false}>
                  {t("blockN", { height: String(block.height) })}
                </Link>
              </th>
              <td className="hidden px-3 py-2 text-sm sm:table-cell">
                <DateTime at={block.sealedAt} />
              </td>
              <td className="px-3 py-2 text-right tabular-nums">{formatCount(block.entryCount, locale)}</td>
              <td className="hidden px-3 py-2 lg:table-cell">
                <code className="hash text-sm" title={block.root}>
                  {shortHash(block.root, 8)}
                </code>
              </td>
              <td className="px-3 py-2">
                {block.anchor ? <StatusBadge tone="good">{common("anchored")}</StatusBadge> : <StatusBadge tone="warn">{common("notYet")}</StatusBadge>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
