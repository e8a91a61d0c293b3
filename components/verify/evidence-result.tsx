import { useTranslations } from "next-intl";
import type { EvidenceCheck, EvidenceReport } from "@/lib/protocol/evidence-verify";
import { StatusBadge, type Tone } from "../ui/status-badge";

/** What the browser found in an evidence bundle (PROTOCOL §8). */
export interface EvidenceOutcome {
  ledgerId: string;
  items: number;
  report: EvidenceReport;
  rpcUrl: string;
}

/** At most this many checks are listed; the counts always cover every check. */
const SHOWN = 400;

function presentation(check: EvidenceCheck): { tone: Tone; state: "pass" | "fail" | "skipped" } {
  if (check.status === "pass") return { tone: "good", state: "pass" };
  if (check.status === "fail") return { tone: "bad", state: "fail" };
  return { tone: "neutral", state: "skipped" };
}

/** The verdict on an evidence bundle and every check, failed ones first. */
export function EvidenceResult({ outcome, headingId, headingRef }: { outcome: EvidenceOutcome; headingId: string; headingRef: React.Ref<HTMLHeadingElement> }) {
  const t = useTranslations("verify.evidence");
  const states = useTranslations("verify.steps.state");
  const { report } = outcome;
  const title = t(`verdict.${report.verdict}`);
  const ordered = [...report.checks.filter((c) => c.status === "fail"), ...report.checks.filter((c) => c.status !== "fail")];
  return (
    <div className="grid gap-4" data-testid="evidence-result" data-verdict={report.verdict}>
      <div className={`rounded-lg border p-4 ${report.verdict === "failed" ? "border-red-300 bg-red-50" : report.verdict === "verified" ? "border-green-300 bg-green-50" : "border-amber-300 bg-amber-50"}`}>
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-xl font-semibold">
          {title}
        </h2>
        <p className="mt-1" data-testid="evidence-counts">
          {t("counts", { ledgerId: outcome.ledgerId, items: outcome.items, pass: report.counts.pass, fail: report.counts.fail, skipped: report.counts.skipped })}
          {report.verdict === "incomplete" ? ` ${outcome.rpcUrl ? t("nodeFailed") : t("setNode")}` : null}
        </p>
      </div>
      <ol className="space-y-2">
        {ordered.slice(0, SHOWN).map((check, index) => {
          const { tone, state } = presentation(check);
          return (
            <li key={index} className="rounded border border-slate-200 bg-white p-3" data-testid="evidence-check" data-check={check.check} data-status={check.status}>
              <div className="flex flex-wrap items-center gap-x-3">
                <StatusBadge tone={tone}>{states(state)}</StatusBadge>
                <span className="font-mono text-sm text-slate-700">
                  {check.check}
                  {check.entryHash ? ` · ${t("entry", { hash: `${check.entryHash.slice(0, 14)}…` })}` : check.height !== undefined ? ` · ${t("block", { height: String(check.height) })}` : ""}
                </span>
              </div>
              <p className="mt-1 text-slate-800" lang="en">
                {check.message}
              </p>
              {check.expected !== undefined || check.computed !== undefined ? (
                <p className="hash mt-1 text-sm text-slate-700">
                  {t("expectedFound", { expected: check.expected ?? "?", found: check.computed ?? "?" })}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {ordered.length > SHOWN ? <p>{t("more", { count: ordered.length - SHOWN })}</p> : null}
    </div>
  );
}
