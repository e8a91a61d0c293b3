import type { StepId, StepResult } from "@/lib/protocol/bundle";
import { isNotYetAnchored } from "@/lib/portal/verdict";
import { StatusBadge, type Tone } from "../ui/status-badge";

/** The title of each step of PROTOCOL §5, in a reader's words. */
export function stepTitle(step: StepId, height: number): string {
  switch (step) {
    case "entry_hash":
      return "Your record is this entry";
    case "prev_root":
      return "Your record was signed against the block before";
    case "merkle_proof":
      return `The entry is inside block ${height}`;
    case "root_on_chain":
      return `The blockchain holds the root of block ${height}`;
    case "chain_linkage":
      return "The chain of blocks is unbroken on the blockchain";
    case "signature":
      return "The signature is genuine";
    case "receipt":
      return "The acceptance receipt is genuine";
  }
}

function presentation(step: StepResult): { tone: Tone; word: string; state: string } {
  if (isNotYetAnchored(step)) return { tone: "warn", word: "Not yet", state: "not_yet" };
  if (step.status === "pass") return { tone: "good", word: "Passed", state: "pass" };
  if (step.status === "fail") return { tone: "bad", word: "Failed", state: "fail" };
  return { tone: "neutral", word: "Not checked", state: "skipped" };
}

/** The verification steps in order, each with its outcome and its plain-language sentence. */
export function StepList({ steps, height }: { steps: StepResult[]; height: number }) {
  return (
    <ol className="space-y-3">
      {steps.map((step, index) => {
        const { tone, word, state } = presentation(step);
        return (
          <li key={`${step.step}-${index}`} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="verify-step" data-step={step.step} data-status={state}>
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <StatusBadge tone={tone}>{word}</StatusBadge>
              <h3 className="font-semibold text-slate-900">
                <span className="sr-only">Step {index + 1}: </span>
                {stepTitle(step.step, height)}
              </h3>
            </div>
            <p className="mt-2 text-slate-800" data-testid="verify-step-message">
              {step.message}
            </p>
            {step.expected !== undefined || step.computed !== undefined ? (
              <dl className="mt-2 grid gap-1 text-sm sm:grid-cols-[8rem_1fr]">
                {step.expected !== undefined ? (
                  <>
                    <dt className="font-semibold text-slate-700">Expected</dt>
                    <dd className="hash">{step.expected}</dd>
                  </>
                ) : null}
                {step.computed !== undefined ? (
                  <>
                    <dt className="font-semibold text-slate-700">Found</dt>
                    <dd className="hash">{step.computed}</dd>
                  </>
                ) : null}
              </dl>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
