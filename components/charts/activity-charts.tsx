import { useLocale, useTranslations } from "next-intl";
import type { BlockActivity } from "@/lib/ledger/activity";
import { formatCount, formatDuration } from "@/lib/portal/format";
import { BarChart, type BarDatum } from "./bar-chart";

/** Entries per block, for the newest blocks; its text alternative is in the page's language. */
export function EntriesPerBlockChart({ blocks }: { blocks: BlockActivity[] }) {
  const t = useTranslations("charts");
  const locale = useLocale();
  const count = (n: number) => formatCount(n, locale);
  const data: BarDatum[] = blocks.map((b) => ({
    key: String(b.height),
    label: t("blockN", { height: String(b.height) }),
    value: b.entryCount,
    valueText: t("entries", { count: b.entryCount, formatted: count(b.entryCount) }),
  }));
  const counts = blocks.map((b) => b.entryCount);
  const summary =
    blocks.length === 0
      ? t("noBlocks")
      : t("entriesSummary", {
          blocks: blocks.length,
          min: count(Math.min(...counts)),
          max: count(Math.max(...counts)),
          average: count(Math.round(counts.reduce((a, b) => a + b, 0) / counts.length)),
        });
  return (
    <BarChart
      id="entries-chart"
      title={t("entriesTitle")}
      description={t("entriesDescription", { blocks: blocks.length, summary })}
      summary={summary}
      columns={[t("blockColumn"), t("entriesColumn")]}
      data={data}
      axisMaxText={(max) => t("entries", { count: max, formatted: count(max) })}
    />
  );
}

/** How long each of the newest blocks waited between sealing and its confirmed anchor on chain. */
export function AnchoringLagChart({ blocks }: { blocks: BlockActivity[] }) {
  const t = useTranslations("charts");
  const locale = useLocale();
  const duration = (ms: number) => formatDuration(ms, locale);
  const data: BarDatum[] = blocks.map((b) => {
    const lag = b.anchoredAt ? Math.max(0, b.anchoredAt.getTime() - b.sealedAt.getTime()) : null;
    return {
      key: String(b.height),
      label: t("blockN", { height: String(b.height) }),
      value: lag === null ? null : lag / 1000,
      valueText: lag === null ? t("notAnchoredYet") : t("anchoredAfter", { duration: duration(lag) }),
    };
  });
  const lags = data.flatMap((d) => (d.value === null ? [] : [d.value * 1000]));
  const waiting = data.length - lags.length;
  const summary =
    blocks.length === 0
      ? t("noBlocks")
      : lags.length === 0
        ? t("noneAnchored", { blocks: blocks.length })
        : t("lagSummary", {
            blocks: blocks.length,
            anchored: lags.length,
            average: duration(lags.reduce((a, b) => a + b, 0) / lags.length),
            longest: duration(Math.max(...lags)),
          }) + (waiting > 0 ? t("lagWaiting", { waiting }) : "") + ".";
  return (
    <BarChart
      id="lag-chart"
      title={t("lagTitle")}
      description={t("lagDescription", { blocks: blocks.length, summary })}
      summary={summary}
      columns={[t("blockColumn"), t("lagColumn")]}
      data={data}
      axisMaxText={(max) => duration(max * 1000)}
    />
  );
}
