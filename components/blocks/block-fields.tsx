import { useLocale, useTranslations } from "next-intl";
import type { BlockSummary } from "@/lib/ledger/reads";
import { formatCount } from "@/lib/portal/format";
import { Link } from "@/lib/portal/i18n/navigation";
import { DateTime } from "../ui/date-time";
import { FieldList } from "../ui/field-list";
import { HashValue } from "../ui/hash-value";
import { StatusBadge } from "../ui/status-badge";

/** The block header of PROTOCOL §3, field by field, each hash copyable. */
export function BlockHeaderFields({ block }: { block: BlockSummary }) {
  const t = useTranslations("blocks.fields");
  const common = useTranslations("common.hashLabel");
  const locale = useLocale();
  return (
    <FieldList
      fields={[
        { label: t("height"), value: <span className="tabular-nums">{block.height}</span>, hint: t("heightHint") },
        { label: t("root"), value: <HashValue value={block.root} label={common("blockRoot")} />, hint: t("rootHint") },
        {
          label: t("previousRoot"),
          value: <HashValue value={block.prevRoot} label={common("previousRoot")} />,
          hint:
            block.height > 1
              ? t.rich("previousRootHint", {
                  previous: String(block.height - 1),
                  link: (chunks) => (
                    <Link className="link" href={`/blocks/${block.height - 1}`}>
                      {chunks}
                    </Link>
                  ),
                })
              : t("genesisHint"),
        },
        { label: t("entries"), value: <span className="tabular-nums">{formatCount(block.entryCount, locale)}</span> },
        { label: t("sealed"), value: <DateTime at={block.sealedAt} /> },
      ]}
    />
  );
}

/** Where and when this block's root was written on chain, or that it is not yet. */
export function AnchorFields({ block }: { block: BlockSummary }) {
  const t = useTranslations("blocks.anchor");
  const common = useTranslations("common");
  const locale = useLocale();
  const { anchor } = block;
  if (!anchor) {
    return (
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <StatusBadge tone="warn">{common("notAnchoredYet")}</StatusBadge>
        <p className="mt-2 max-w-prose text-slate-700">{t("notYetExplain")}</p>
      </div>
    );
  }
  return (
    <FieldList
      fields={[
        { label: t("status"), value: <StatusBadge tone="good">{common("anchored")}</StatusBadge> },
        { label: t("chain"), value: <span className="tabular-nums">{anchor.chainId}</span> },
        { label: t("registry"), value: <HashValue value={anchor.registry} label={common("hashLabel.registry")} /> },
        { label: t("transaction"), value: <HashValue value={anchor.txHash} label={common("hashLabel.transaction")} /> },
        { label: t("chainBlock"), value: <span className="tabular-nums">{formatCount(anchor.blockNumber, locale)}</span> },
      ]}
    />
  );
}
