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

function presentation(check: EvidenceCheck): { tone: Tone; word: string } {
  if (check.status === "pass") return { tone: "good", word: "Passed" };
  if (check.status === "fail") return { tone: "bad", word: "Failed" };
  return { tone: "neutral", word: "Not checked" };
}

/** The verdict on an evidence bundle and every check, failed ones first. */
export function EvidenceResult({ outcome, headingId, headingRef }: { outcome: EvidenceOutcome; headingId: string; headingRef: React.Ref<HTMLHeadingElement> }) {
  const { report } = outcome;
  const title =
    report.verdict === "failed"
      ? "Not verified: a check failed"
      : report.verdict === "incomplete"
        ? "Nothing failed, but the on-chain checks did not run"
        : "Verified: every check that could be made passed";
  const ordered = [...report.checks.filter((c) => c.status === "fail"), ...report.checks.filter((c) => c.status !== "fail")];
  return (
    <div className="grid gap-4" data-testid="evidence-result" data-verdict={report.verdict}>
      <div className={`rounded-lg border p-4 ${report.verdict === "failed" ? "border-red-300 bg-red-50" : report.verdict === "verified" ? "border-green-300 bg-green-50" : "border-amber-300 bg-amber-50"}`}>
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-xl font-semibold">
          {title}
        </h2>
        <p className="mt-1" data-testid="evidence-counts">
          Evidence bundle of ledger “{outcome.ledgerId}” with {outcome.items} record(s): {report.counts.pass} checks passed, {report.counts.fail} failed,{" "}
          {report.counts.skipped} could not be made (not checked, never counted as passed).
          {report.verdict === "incomplete" ? (outcome.rpcUrl ? " The blockchain node could not be used; see below." : " Set an Ethereum RPC endpoint under “Blockchain connection” to check the roots on chain.") : null}
        </p>
      </div>
      <ol className="space-y-2">
        {ordered.slice(0, SHOWN).map((check, index) => {
          const { tone, word } = presentation(check);
          return (
            <li key={index} className="rounded border border-slate-200 bg-white p-3" data-testid="evidence-check" data-check={check.check} data-status={check.status}>
              <div className="flex flex-wrap items-center gap-x-3">
                <StatusBadge tone={tone}>{word}</StatusBadge>
                <span className="font-mono text-sm text-slate-700">
                  {check.check}
                  {check.entryHash ? ` · entry ${check.entryHash.slice(0, 14)}…` : check.height !== undefined ? ` · block ${check.height}` : ""}
                </span>
              </div>
              <p className="mt-1 text-slate-800">{check.message}</p>
              {check.expected !== undefined || check.computed !== undefined ? (
                <p className="hash mt-1 text-sm text-slate-700">
                  Expected {check.expected ?? "?"}, found {check.computed ?? "?"}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {ordered.length > SHOWN ? <p>{ordered.length - SHOWN} more checks are not listed here; run `sealbook verify` on the file for every line.</p> : null}
    </div>
  );
}
