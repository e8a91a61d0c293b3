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
import { verifyProofBundle, type ProofBundle, type StepResult } from "../protocol/bundle";
import { genesisRootOf } from "../protocol/hash";
import type { Hash } from "../protocol/hex";
import { createChainReader, ZERO_ROOT, type ChainReader } from "./chain-reader";
import type { SignedReceipt } from "../protocol/receipt";
import { checkReceiptAgainstBundle, checkReceiptSignature, checkReceiptSignerRole, type ReceiptStep } from "./receipt-checks";
import type { RetryPolicy } from "./retry";

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
export type ChainFactory = (rpcUrl: string, registry: Address) => ChainReader;

export const CLI_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 500, maxDelayMs: 2_000 };
const CHAIN_STEPS = new Set(["root_on_chain", "chain_linkage"]);

/** Runs every step the inputs allow and concludes with the exit code policy above. Never throws for a failed check. */
export async function verifyBundleAndReceipt(inputs: VerifyInputs, chainFor: ChainFactory = (url, registry) => createChainReader(url, registry, { retry: CLI_RETRY })): Promise<VerifyReport> {
  const { bundle, receipt } = inputs;
  // The chain to check the roots on: where the bundle says its block is anchored, else the receipt's registry.
  const target = bundle.anchor ? { chainId: bundle.anchor.chainId, registry: bundle.anchor.registry as Address } : receipt ? { chainId: receipt.domain.chainId, registry: receipt.domain.verifyingContract } : (inputs.anchoredOn ?? null);
  let readRoot: ((height: number) => Promise<Hash>) | undefined;
  let chainSkip: string | null = null;
  if (!inputs.rpcUrl) chainSkip = inputs.offline ? "This is an offline check (--offline)" : "No blockchain connection was given (--rpc)";
  else if (!target) chainSkip = "The block is not anchored yet and no receipt names a registry";
  else {
    const chain = chainFor(inputs.rpcUrl, target.registry);
    chainSkip = await chainMismatch(chain, target.chainId);
    if (!chainSkip) readRoot = async (height) => (await chain.rootsOf([height])).get(height)!;
  }
  const registryStep = inputs.registry && target ? await trustedRegistryStep(bundle, target.registry, inputs.registry, readRoot) : null;
  if (registryStep) readRoot = undefined;
  const steps: Array<StepResult | ReceiptStep> = await verifyProofBundle(bundle, { jws: inputs.jws, readRoot });
  if (registryStep) {
    const index = steps.findIndex((s) => s.step === "root_on_chain");
    steps.splice(index, 1, registryStep);
  } else if (readRoot && !inputs.registry) {
    const rootStep = steps.find((s) => s.step === "root_on_chain");
    if (rootStep) rootStep.message += ` (Read from ${target!.registry}, the registry the bundle names: give --registry with the address the ledger's operator publishes to tie it to that ledger.)`;
  }
  const rootStep = steps.find((s) => s.step === "root_on_chain");
  if (!readRoot && !registryStep && rootStep) rootStep.message = `${chainSkip}, so the on-chain check was skipped: the roots were not compared with the blockchain.`;
  if (rootStep && !bundle.anchor && rootStep.status === "fail" && rootStep.computed === ZERO_ROOT) {
    // The bundle does not claim an anchor, and indeed there is none yet: not a lie, just not provable yet.
    rootStep.status = "skipped";
    rootStep.message = `Block ${bundle.block.height} is not anchored on the blockchain yet, so its root is not publicly fixed yet: verify again once it is.`;
  }
  if (receipt) {
    steps.push(await checkReceiptSignature(receipt));
    steps.push(...checkReceiptAgainstBundle(receipt, bundle));
    let isSigner: ((account: Address) => Promise<boolean>) | null = null;
    let roleSkip = chainSkip ?? "No blockchain connection was given";
    let noRegistry = false;
    if (inputs.rpcUrl) {
      const chain = chainFor(inputs.rpcUrl, receipt.domain.verifyingContract);
      const mismatch = await chainMismatch(chain, receipt.domain.chainId);
      if (mismatch) roleSkip = mismatch;
      else if ((await chain.deployed().catch(() => null)) === false) noRegistry = true;
      else isSigner = (account) => chain.isReceiptSigner(account);
    }
    steps.push(
      noRegistry
        ? {
            step: "receipt",
            check: "signer_role",
            status: "fail",
            message: `There is no contract at ${receipt.domain.verifyingContract} on chain ${receipt.domain.chainId}: the receipt names a registry that does not exist, so no ledger stands by it.`,
          }
        : await checkReceiptSignerRole(receipt, isSigner, roleSkip),
    );
  }
  return conclude(steps, inputs.offline ?? false);
}

/**
 * Null when the registry the bundle names is the trusted one and its rootOf(0) is the genesis root
 * of the bundle's ledger; otherwise the failed (or, without a chain, skipped) on-chain step.
 */
async function trustedRegistryStep(bundle: ProofBundle, named: Address, trusted: Address, readRoot: ((height: number) => Promise<Hash>) | undefined): Promise<StepResult | null> {
  if (named.toLowerCase() !== trusted.toLowerCase()) {
    return {
      step: "root_on_chain",
      status: "fail",
      message: `The proof points to the registry ${named}, but the registry you trust is ${trusted}: it was not anchored where you expect.`,
      expected: trusted.toLowerCase(),
      computed: named.toLowerCase(),
    };
  }
  if (!readRoot) return null;
  const genesis = genesisRootOf(bundle.ledgerId);
  let onChain: Hash;
  try {
    onChain = await readRoot(0);
  } catch (error) {
    return { step: "root_on_chain", status: "skipped", message: `The registry's genesis root could not be read (${(error as Error).message}), so the on-chain check was skipped` };
  }
  if (onChain === genesis) return null;
  return {
    step: "root_on_chain",
    status: "fail",
    message: `The registry ${trusted} does not belong to ledger "${bundle.ledgerId}": its rootOf(0) is ${onChain}, not the ledger's genesis root.`,
    expected: genesis,
    computed: onChain,
  };
}

/** Null when the RPC serves `chainId`; otherwise why the chain steps cannot run. */
export async function chainMismatch(chain: ChainReader, chainId: number): Promise<string | null> {
  try {
    const served = await chain.chainId();
    return served === chainId ? null : `The RPC serves chain ${served}, but the block is anchored on chain ${chainId}`;
  } catch (error) {
    return `The blockchain could not be reached (${(error as Error).message})`;
  }
}

/** A step with a sub-check: a receipt's (receipt-checks.ts) or a mirror's (mirror-verify.ts). */
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
