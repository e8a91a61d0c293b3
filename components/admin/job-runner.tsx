"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { AdminApiError, runJob, type JobEvent } from "@/lib/admin/client/admin-api";
import { AuditReportView, type AuditReportJson } from "./audit-report";

type JobKind = "seal" | "anchor" | "audit";

const ENDPOINT: Record<JobKind, string> = {
  seal: "/api/v1/admin/jobs/seal",
  anchor: "/api/v1/admin/jobs/anchor",
  audit: "/api/v1/admin/jobs/audit",
};

type Outcome = { ok: true; result: unknown } | { ok: false; message: string };

/** What a finished job says, in one sentence. */
function resultSentence(kind: JobKind, result: unknown): string {
  if (kind === "seal") {
    const block = (result as { block: { height: number; entryCount: number } | null }).block;
    return block ? `Sealed block ${block.height} with ${block.entryCount} entries.` : "Nothing was pending: no block was sealed.";
  }
  if (kind === "anchor") {
    const r = result as { outcome: string; anchoredHeight: number; ledgerHead: number; sent: Array<{ count: number }>; alarm: { message: string } | null };
    if (r.alarm) return `Stopped by a chain alarm: ${r.alarm.message}`;
    if (r.outcome === "busy") return "Another process was anchoring; nothing was done here.";
    const blocks = r.sent.reduce((n, s) => n + s.count, 0);
    return `${blocks > 0 ? `Anchored ${blocks} block(s). ` : ""}Anchored and confirmed up to block ${r.anchoredHeight} of ${r.ledgerHead}.`;
  }
  const report = result as AuditReportJson;
  return report.ok ? "The audit found nothing wrong." : `The audit found ${report.findings.length} problem(s).`;
}

/**
 * A button that runs a console job (seal, anchor, audit) and shows its progress lines live, then its
 * result; the page's data is refreshed afterwards.
 */
export function JobRunner({
  kind,
  label,
  body,
  chainOption = false,
  compact = false,
}: {
  kind: JobKind;
  label: string;
  body?: Record<string, unknown>;
  /** Offer "compare the roots with the chain" (the audit). */
  chainOption?: boolean;
  compact?: boolean;
}) {
  const router = useRouter();
  const id = useId();
  const [running, setRunning] = useState(false);
  const [lines, setLines] = useState<Array<{ at: string; message: string }>>([]);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [withChain, setWithChain] = useState(true);

  async function start() {
    setRunning(true);
    setLines([]);
    setProgress(null);
    setOutcome(null);
    try {
      await runJob(ENDPOINT[kind], { ...body, ...(chainOption ? { chain: withChain } : {}) }, (event: JobEvent) => {
        if (event.type === "progress") {
          setLines((previous) => [...previous.slice(-199), { at: event.at, message: event.message }]);
          const d = event.data;
          if (d && typeof d.entriesDone === "number" && typeof d.entriesTotal === "number") setProgress({ done: d.entriesDone, total: d.entriesTotal });
          else if (d && typeof d.done === "number" && typeof d.total === "number" && d.total > 0) setProgress({ done: d.done, total: d.total });
        } else if (event.type === "result") setOutcome({ ok: true, result: event.result });
        else setOutcome({ ok: false, message: event.message });
      });
    } catch (error) {
      setOutcome({ ok: false, message: error instanceof AdminApiError ? error.message : `The job could not be started: ${(error as Error).message}` });
    } finally {
      setRunning(false);
      router.refresh();
    }
  }

  return (
    <div className={compact ? "" : "rounded-lg border border-slate-200 bg-white p-4"}>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          onClick={start}
          disabled={running}
          aria-describedby={`${id}-status`}
          className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900 disabled:opacity-60"
        >
          {running ? `${label}…` : label}
        </button>
        {chainOption ? (
          <label className="inline-flex items-center gap-2">
            <input type="checkbox" checked={withChain} onChange={(e) => setWithChain(e.target.checked)} disabled={running} className="h-4 w-4" />
            Compare every root with the chain (--chain)
          </label>
        ) : null}
      </div>
      <div id={`${id}-status`} className="mt-3 space-y-2">
        {progress ? (
          <progress className="w-full" max={progress.total} value={progress.done} aria-label={`${label}: progress`}>
            {progress.done} of {progress.total}
          </progress>
        ) : null}
        {lines.length > 0 ? (
          <div role="log" aria-live="polite" aria-label={`${label}: progress`} className="max-h-56 overflow-y-auto rounded bg-slate-900 p-3 font-mono text-xs text-slate-100" tabIndex={0}>
            <ol>
              {lines.map((line, i) => (
                <li key={i} className="break-words">
                  <time dateTime={line.at} className="text-slate-400">
                    {line.at.slice(11, 19)}
                  </time>{" "}
                  {line.message}
                </li>
              ))}
            </ol>
          </div>
        ) : null}
        {outcome ? (
          <p role="status" className={`rounded border p-3 ${outcome.ok ? "border-emerald-300 bg-emerald-50 text-emerald-950" : "border-red-300 bg-red-50 text-red-900"}`}>
            {outcome.ok ? resultSentence(kind, outcome.result) : `Failed: ${outcome.message}`}
          </p>
        ) : null}
        {outcome?.ok && kind === "audit" ? <AuditReportView report={outcome.result as AuditReportJson} /> : null}
      </div>
    </div>
  );
}
