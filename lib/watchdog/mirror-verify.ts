/**
 * `sealbook verify --mirror`: PROTOCOL §5 from a mirror's files alone (docs/PROTOCOL.md, "Appendix:
 * mirror layout"), trusting neither the mirror nor the ledger's servers. The checkpoint's signature
 * is checked offline, the signer's RECEIPT_SIGNER_ROLE and the roots on chain with an RPC endpoint.
 */
import type { Address } from "viem";
import { checkChainRoots } from "../protocol/bundle";
import type { Hash } from "../protocol/hex";
import { httpMirrorReader, MirrorError, proofBundleFromMirror, readCheckpoint, verifyMirrorBlock, type Checkpoint, type MirrorReader } from "../protocol/mirror";
import type { RegistryReader } from "../chain/registry/reader";
import { patientRegistryReader } from "./retry";
import { conclude, verifyBundleAndReceipt, type ChainFactory, type CheckStep, type VerifyReport } from "./verify";

export interface MirrorVerifyInputs {
  /** The mirror's base URL, or a reader of its files. */
  mirror: string | MirrorReader;
  /** An entry to prove, and/or a block to verify whole. */
  entryHash?: Hash;
  height?: number;
  rpcUrl?: string;
  offline?: boolean;
}

type MirrorCheck = "checkpoint" | "signer_role" | "entry_found" | "block_files";
const step = (check: MirrorCheck, status: "pass" | "fail" | "skipped", message: string, values: { expected?: string; computed?: string } = {}): CheckStep => ({ step: "mirror", check, status, message, ...values });

const failed = (check: MirrorCheck, error: unknown): CheckStep => {
  if (error instanceof MirrorError) return step(check, "fail", error.message, { expected: error.expected, computed: error.computed });
  return step(check, "fail", `The mirror could not be read: ${(error as Error).message}${(error as Error).cause ? ` (${((error as Error).cause as Error).message})` : ""}.`);
};

/** Runs the checks the inputs ask for and concludes with `sealbook verify`'s exit code policy. Never throws for a failed check. */
export async function verifyFromMirror(inputs: MirrorVerifyInputs, chainFor: ChainFactory = (url, registry) => patientRegistryReader(url, registry)): Promise<VerifyReport & { checkpoint: Checkpoint | null }> {
  const read = typeof inputs.mirror === "string" ? httpMirrorReader(inputs.mirror) : inputs.mirror;
  const steps: CheckStep[] = [];
  let checkpoint: Checkpoint;
  try {
    checkpoint = await readCheckpoint(read);
    steps.push(step("checkpoint", "pass", `The mirror's ledger.json is signed by ${checkpoint.signer}: ledger "${checkpoint.ledgerId}", head block ${checkpoint.height}.`));
  } catch (error) {
    steps.push(failed("checkpoint", error));
    return { ...conclude(steps, inputs.offline ?? false), checkpoint: null };
  }
  const anchoredOn = checkpoint.chainId !== null && checkpoint.registry ? { chainId: checkpoint.chainId, registry: checkpoint.registry as Address } : null;
  const chain: RegistryReader | null = inputs.rpcUrl && anchoredOn ? chainFor(inputs.rpcUrl, anchoredOn.registry) : null;
  steps.push(await signerRoleStep(checkpoint, chain, inputs));

  if (inputs.height !== undefined) {
    try {
      const header = await verifyMirrorBlock(read, inputs.height);
      steps.push(step("block_files", "pass", `The ${header.entryCount} entries of block ${header.height} give its root ${header.root}, and its tree file is exactly their tree.`));
      if (chain) steps.push(...(await checkChainRoots({ block: header }, (h) => chain.readRoot(h))));
    } catch (error) {
      steps.push(failed("block_files", error));
    }
  }
  if (inputs.entryHash) {
    try {
      const bundle = await proofBundleFromMirror(read, inputs.entryHash, { height: inputs.height, headHeight: checkpoint.height });
      if (!bundle) {
        steps.push(step("entry_found", "fail", `No block of the mirror up to its head (${checkpoint.height}) holds the entry ${inputs.entryHash}: it is not sealed there, or the mirror is behind.`));
      } else {
        steps.push(step("entry_found", "pass", `The entry is leaf of block ${bundle.block.height} in the mirror's files.`));
        steps.push(...(await verifyBundleAndReceipt({ bundle, rpcUrl: inputs.rpcUrl, offline: inputs.offline, anchoredOn }, chainFor)).steps);
      }
    } catch (error) {
      steps.push(failed("entry_found", error));
    }
  }
  return { ...conclude(steps, inputs.offline ?? false), checkpoint };
}

async function signerRoleStep(checkpoint: Checkpoint, chain: RegistryReader | null, inputs: MirrorVerifyInputs): Promise<CheckStep> {
  if (!chain) {
    const why = !inputs.rpcUrl ? "No blockchain connection was given (--rpc)" : "The checkpoint names no registry";
    return step("signer_role", "skipped", `${why}, so whether ${checkpoint.signer} signs for this ledger was not checked on chain.`);
  }
  try {
    const served = await chain.chainId();
    if (served !== checkpoint.chainId) return step("signer_role", "skipped", `The RPC serves chain ${served}, but the checkpoint names chain ${checkpoint.chainId}.`);
    return (await chain.isReceiptSigner(checkpoint.signer as Address))
      ? step("signer_role", "pass", `The registry ${checkpoint.registry} lists ${checkpoint.signer} as the ledger's signer: the checkpoint is the ledger's.`)
      : step("signer_role", "fail", `${checkpoint.signer} does not hold RECEIPT_SIGNER_ROLE on the registry ${checkpoint.registry}: the checkpoint is not the ledger's.`);
  } catch (error) {
    return step("signer_role", "skipped", `The blockchain could not be reached (${(error as Error).message}), so the checkpoint signer's role was not checked.`);
  }
}
