"use client";

/** An audit report as the audit job returns it (lib/admin/jobs/audit-now.ts). */
export interface AuditReportJson {
  ok: boolean;
  ledgerId: string;
  head: number;
  checked: { blocks: number; entries: number; pending: number };
  findings: Array<{ code: string; height?: number; entryHash?: string; message: string }>;
  startedAt: string;
  finishedAt: string;
  chain: { compared: boolean; chainId: number | null; registry: string | null; note: string | null };
}

/** Offers the report as a JSON file, made in the browser from what the job returned. */
function download(report: AuditReportJson): void {
  const blob = new Blob([`${JSON.stringify(report, null, 2)}\n`], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `sealbook-audit-${report.ledgerId}-${report.finishedAt.replace(/[:.]/g, "-")}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** The audit's report: what was checked, each finding with where it is, and a JSON download. */
export function AuditReportView({ report }: { report: AuditReportJson }) {
  return (
    <section aria-label="Audit report" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 className="text-xl font-semibold">Audit report</h2>
        <button type="button" onClick={() => download(report)} className="rounded border border-slate-400 bg-white px-3 py-1.5 font-semibold hover:bg-slate-100">
          Download report (JSON)
        </button>
      </div>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[12rem_1fr]">
        <dt className="font-semibold text-slate-700">Ledger</dt>
        <dd>{report.ledgerId}, head at block {report.head}</dd>
        <dt className="font-semibold text-slate-700">Checked</dt>
        <dd>
          {report.checked.blocks} blocks, {report.checked.entries} entries ({report.checked.pending} pending)
        </dd>
        <dt className="font-semibold text-slate-700">Roots against the chain</dt>
        <dd>{report.chain.compared ? `compared with registry ${report.chain.registry}` : (report.chain.note ?? "not compared")}</dd>
        <dt className="font-semibold text-slate-700">Ran</dt>
        <dd>
          {report.startedAt} to {report.finishedAt}
        </dd>
      </dl>
      {report.findings.length === 0 ? (
        <p className="font-semibold text-emerald-900">No findings: every hash, signature, link and root checks out.</p>
      ) : (
        <ol className="space-y-2" aria-label="Findings">
          {report.findings.map((f, i) => (
            <li key={i} className="rounded border border-red-200 bg-red-50 p-3 text-sm text-red-950">
              <p className="font-mono font-semibold">{f.code}</p>
              {f.height !== undefined || f.entryHash ? (
                <p>
                  {f.height !== undefined ? `Block ${f.height}` : null}
                  {f.height !== undefined && f.entryHash ? ", " : null}
                  {f.entryHash ? <span className="hash">entry {f.entryHash}</span> : null}
                </p>
              ) : null}
              <p>{f.message}</p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
