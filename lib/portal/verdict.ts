/**
 * How the verifier sums up its steps. Kept apart from the checks themselves (and free of runtime
 * imports) so that the verifier's page can show results without loading the protocol code first.
 */
import type { StepResult } from "../protocol/bundle";
import { ZERO_HASH } from "../protocol/hex";

/** How the checks came out, as a whole. */
export type Verdict = "verified" | "incomplete" | "failed";

/**
 * Tells whether a step failed only because its block is not on chain yet (the registry answers
 * zero): that is a "not yet", not evidence of tampering.
 */
export function isNotYetAnchored(step: StepResult): boolean {
  return (step.step === "root_on_chain" || step.step === "chain_linkage") && step.status === "fail" && step.computed === ZERO_HASH;
}

/**
 * The overall verdict: any real failure fails; every step that proves inclusion and publication
 * (and, with a record, its identity and signature) passed verifies; anything else is incomplete.
 */
export function verdictOf(steps: StepResult[], withRecord: boolean): Verdict {
  if (steps.some((s) => s.status === "fail" && !isNotYetAnchored(s))) return "failed";
  const required = ["merkle_proof", "root_on_chain", "chain_linkage", ...(withRecord ? ["entry_hash", "prev_root", "signature"] : [])];
  const allPassed = required.every((id) => steps.some((s) => s.step === id && s.status === "pass"));
  return allPassed ? "verified" : "incomplete";
}
