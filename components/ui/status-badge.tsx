import type { ReactNode } from "react";

export type Tone = "good" | "bad" | "warn" | "neutral";

const TONES: Record<Tone, { className: string; symbol: string }> = {
  good: { className: "border-emerald-300 bg-emerald-50 text-emerald-900", symbol: "✓" },
  bad: { className: "border-red-300 bg-red-50 text-red-900", symbol: "✗" },
  warn: { className: "border-amber-300 bg-amber-50 text-amber-950", symbol: "!" },
  neutral: { className: "border-slate-300 bg-slate-100 text-slate-800", symbol: "–" },
};

/** A short status in words, with a symbol and colour as extra cues (never the only cue). */
export function StatusBadge({ tone, children }: { tone: Tone; children: ReactNode }) {
  const { className, symbol } = TONES[tone];
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-sm font-semibold ${className}`}>
      <span aria-hidden="true">{symbol}</span>
      {children}
    </span>
  );
}
