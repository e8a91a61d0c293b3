import { useTranslations } from "next-intl";
import type { ReactNode } from "react";

/** One bar: `value` null draws a dashed placeholder (for example "not anchored yet"). */
export interface BarDatum {
  key: string;
  /** The bar's name in the data table and tooltip, e.g. "Block 42". */
  label: string;
  value: number | null;
  /** The value in words for the data table, e.g. "78 entries". */
  valueText: string;
}

const WIDTH = 420;
const HEIGHT = 150;
const PAD = { top: 18, right: 4, bottom: 20, left: 4 };

/**
 * An accessible bar chart drawn on the server: an SVG named by its <title> and <desc>, a visible
 * one-sentence summary, and the numbers in a table for anyone who cannot read the picture.
 */
export function BarChart({
  id,
  title,
  description,
  summary,
  columns,
  data,
  axisMaxText,
}: {
  id: string;
  title: string;
  description: string;
  summary: ReactNode;
  columns: [string, string];
  data: BarDatum[];
  axisMaxText?: (max: number) => string;
}) {
  const t = useTranslations("charts");
  const max = Math.max(1, ...data.map((d) => d.value ?? 0));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = data.length > 0 ? plotWidth / data.length : plotWidth;
  const barWidth = Math.max(2, slot * 0.7);
  const baseline = PAD.top + plotHeight;

  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="font-semibold text-slate-900">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="mt-3 h-auto w-full" role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={baseline} y2={baseline} stroke="#475569" strokeWidth="1" />
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top} y2={PAD.top} stroke="#cbd5e1" strokeWidth="1" strokeDasharray="4 4" />
        <text x={PAD.left} y={PAD.top - 5} fontSize="11" fill="#334155">
          {axisMaxText ? axisMaxText(max) : String(max)}
        </text>
        {data.map((d, i) => {
          const x = PAD.left + i * slot + (slot - barWidth) / 2;
          if (d.value === null) {
            return (
              <rect key={d.key} x={x} y={baseline - 8} width={barWidth} height={8} fill="none" stroke="#b45309" strokeWidth="1.5" strokeDasharray="3 2">
                <title>{`${d.label}: ${d.valueText}`}</title>
              </rect>
            );
          }
          const h = Math.max(1, (d.value / max) * plotHeight);
          return (
            <rect key={d.key} x={x} y={baseline - h} width={barWidth} height={h} fill="#1d4ed8" rx="1.5">
              <title>{`${d.label}: ${d.valueText}`}</title>
            </rect>
          );
        })}
        {data.length > 0 ? (
          <>
            <text x={PAD.left} y={HEIGHT - 5} fontSize="11" fill="#334155">
              {data[0].label}
            </text>
            <text x={WIDTH - PAD.right} y={HEIGHT - 5} fontSize="11" fill="#334155" textAnchor="end">
              {data[data.length - 1].label}
            </text>
          </>
        ) : null}
      </svg>
      <p className="mt-3 text-sm text-slate-700">{summary}</p>
      <details className="mt-2 text-sm">
        <summary className="cursor-pointer font-medium text-blue-900 underline">{t("showTable")}</summary>
        <table className="mt-2 w-full border-collapse text-left">
          <caption className="sr-only">{title}</caption>
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col" className="py-1 pr-4 font-semibold">
                {columns[0]}
              </th>
              <th scope="col" className="py-1 font-semibold">
                {columns[1]}
              </th>
            </tr>
          </thead>
          <tbody>
            {data.map((d) => (
              <tr key={d.key} className="border-b border-slate-100">
                <th scope="row" className="py-1 pr-4 font-normal">
                  {d.label}
                </th>
                <td className="py-1">{d.valueText}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
