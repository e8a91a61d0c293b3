/**
 * The offline verifier behind `sealbook verify`: PROTOCOL §5 on a proof bundle, and §6 when a
 * receipt is given. Every step runs offline except the chain steps (the roots on chain, and the
 * receipt signer's role), which need an RPC endpoint.
 *
 * Exit code policy (skipped is not passed):
 *  - 0 "verified": no step failed, and the chain steps ran, or were skipped because `offline` was
 *    asked for explicitly;
 *  - 1 "failed": a step failed;
 *  - 3 "incomplete": nothing failed, but a chain step was skipped without `offline` (no RPC given,
 *    the RPC unreachable or on another chain, or the block not anchored yet).
 */
import type { Address } from "viem";
import type { RegistryReader } from "../chain/registry/reader";
import type { ProofBundle, StepResult } from "../protocol/bundle";
import type { SignedReceipt } from "../protocol/receipt";
import { runVerification, type VerificationPolicy } from "../protocol/verification";
import { patientRegistryReader, type RetryPolicy } from "./retry";

export interface VerifyInputs {
  bundle: ProofBundle;
  jws?: string;
  receipt?: SignedReceipt;
  /** The RPC endpoint for the chain steps. */
  rpcUrl?: string;
  /** Accept skipped chain steps: an offline check, asked for explicitly. */
  offline?: boolean;
  /**
   * The registry the verifier trusts (`--registry`: the address the operator publishes). The
   * bundle's must be the same, and its `rootOf(0)` must be the genesis root of the bundle's ledger.
   * Without it the chain steps read the registry the bundle names, which anyone can deploy, and
   * the report says so.
   */
  registry?: Address;
  /** The chain to check the roots on when neither the bundle nor a receipt names one (a mirror's checkpoint does). */
  anchoredOn?: { chainId: number; registry: Address } | null;
}

export type Verdict = "verified" | "failed" | "incomplete";

export interface VerifyReport {
  steps: CheckStep[];
  verdict: Verdict;
  exitCode: 0 | 1 | 3;
  /** One sentence on the outcome. */
  conclusion: string;
}

/** How the verifier reaches the chain; tests replace it. */
export type ChainFactory = (rpcUrl: string, registry: Address) => RegistryReader;

export const CLI_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 2_000 };
const CHAIN_STEPS = new Set(["root_on_chain", "chain_linkage"]);

/**
 * How `sealbook verify` reads what cannot be concluded: without --registry it reads the registry
 * the bundle names and says so; a node of another chain, or a block not anchored yet, skips the
 * chain step (exit 3), so that only a real mismatch fails.
 */
export const CLI_POLICY: VerificationPolicy = {
  untrustedRegistry: "read_named",
  registryHint: "give --registry with the address the ledger's operator publishes to tie it to that ledger",
  otherChain: "skip",
  notAnchoredYet: "skip",
  withoutRecord: "skip",
};

/**
 * Runs every step the inputs allow (the one procedure, lib/protocol/verification.ts) and concludes
 * with the exit code policy above. Never throws for a failed check.
 */
export async function verifyBundleAndReceipt(inputs: VerifyInputs, chainFor: ChainFactory = (url, registry) => patientRegistryReader(url, registry, { retry: CLI_RETRY })): Promise<VerifyReport> {
  const { rpcUrl } = inputs;
  const steps = await runVerification(
    { bundle: inputs.bundle, jws: inputs.jws, receipt: inputs.receipt, trustedRegistry: inputs.registry ?? null, anchoredOn: inputs.anchoredOn },
    { chain: rpcUrl ? async (place) => chainFor(rpcUrl, place.registry) : { skip: inputs.offline ? "This is an offline check (--offline)" : "No blockchain connection was given (--rpc)" } },
    CLI_POLICY,
  );
  return conclude(steps, inputs.offline ?? false);
}

/** Null when the RPC serves `chainId`; otherwise why the chain steps cannot run. */
export async function chainMismatch(chain: RegistryReader, chainId: number): Promise<string | null> {
  try {
    const served = await chain.chainId();
    return served === chainId ? null : `The RPC serves chain ${served}, but the block is anchored on chain ${chainId}`;
  } catch (error) {
    return `The blockchain could not be reached (${(error as Error).message})`;
  }
}

/** A step with a sub-check: a receipt's (lib/protocol/receipt-checks.ts) or a mirror's (mirror-verify.ts). */
export type CheckStep = StepResult | (Omit<StepResult, "step"> & { step: "receipt" | "mirror"; check: string });

/** The verdict and exit code of the policy at the top of this file; a `signer_role` check counts as a chain step. */
export function conclude(steps: CheckStep[], offline: boolean): VerifyReport {
  const isChainStep = (s: CheckStep) => CHAIN_STEPS.has(s.step) || ("check" in s && s.check === "signer_role");
  if (steps.some((s) => s.status === "fail")) {
    return { steps, verdict: "failed", exitCode: 1, conclusion: "NOT verified: at least one check failed (see FAIL above)." };
  }
  const skippedChain = steps.filter((s) => s.status === "skipped" && isChainStep(s));
  if (skippedChain.length > 0 && !offline) {
    return {
      steps,
      verdict: "incomplete",
      exitCode: 3,
      conclusion: "Incomplete: nothing failed, but the on-chain checks did not run, so nothing ties this proof to the public record. Give --rpc URL (or --offline to accept an offline check).",
    };
  }
  return {
    steps,
    verdict: "verified",
    exitCode: 0,
    conclusion: skippedChain.length > 0 ? "Verified offline: every check that needs no blockchain passed; the on-chain checks were skipped as asked (--offline)." : "Verified: every check passed.",
  };
}
