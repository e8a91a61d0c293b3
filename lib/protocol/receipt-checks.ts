/**
 * The checks of PROTOCOL §6 on an acceptance receipt, as verification steps in the style of
 * bundle.ts (each with a plain sentence): the signature recovers to the signer; the signer holds
 * RECEIPT_SIGNER_ROLE on the registry (on chain); and, with the entry's proof bundle, the receipt
 * is about this entry, was for this block, the block was sealed before `sealBy`, and the receipt
 * names the registry the block is anchored in. All offline except the role.
 */
import type { Address } from "viem";
import type { ProofBundle, StepResult } from "./bundle";
import { recoverReceiptSigner, type SignedReceipt } from "./receipt";

/** Which §6 check a receipt step is. */
export type ReceiptCheck = "signature" | "signer_role" | "entry" | "block" | "deadline" | "registry";

/** A verification step about the receipt; `step` is always "receipt", `check` says which. */
export interface ReceiptStep extends StepResult {
  step: "receipt";
  check: ReceiptCheck;
}

const at = (seconds: number) => new Date(seconds * 1000).toISOString();

/** The signature recovers to the address the receipt names as its signer. */
export async function checkReceiptSignature(receipt: SignedReceipt): Promise<ReceiptStep> {
  let recovered: Address;
  try {
    recovered = await recoverReceiptSigner(receipt);
  } catch (error) {
    return { step: "receipt", check: "signature", status: "fail", message: `The receipt's signature is not a valid signature at all (${(error as Error).message.split("\n")[0]}).` };
  }
  return recovered.toLowerCase() === receipt.signer.toLowerCase()
    ? { step: "receipt", check: "signature", status: "pass", message: `The receipt was signed by ${receipt.signer}, over exactly this entry, root and deadline.` }
    : {
        step: "receipt",
        check: "signature",
        status: "fail",
        message: "The receipt's signature was not made by the signer it names, or the receipt was changed after signing.",
        expected: receipt.signer,
        computed: recovered,
      };
}

/**
 * The signer holds RECEIPT_SIGNER_ROLE on the receipt's registry now. `isSigner` reads it from a
 * chain reader of that registry on the receipt's chain; null skips the check with `why`.
 */
export async function checkReceiptSignerRole(receipt: SignedReceipt, isSigner: ((account: Address) => Promise<boolean>) | null, why = "No blockchain connection was given"): Promise<ReceiptStep> {
  const base = { step: "receipt" as const, check: "signer_role" as const };
  if (!isSigner) return { ...base, status: "skipped", message: `${why}, so whether the signer may sign receipts for this ledger was not checked on chain.` };
  let holds: boolean;
  try {
    holds = await isSigner(receipt.signer);
  } catch (error) {
    return { ...base, status: "skipped", message: `The blockchain could not be reached, so the signer's role was not checked (${(error as Error).message}).` };
  }
  return holds
    ? { ...base, status: "pass", message: `The registry ${receipt.domain.verifyingContract} lists ${receipt.signer} as a receipt signer: the ledger stands by this receipt.` }
    : {
        ...base,
        status: "fail",
        message: `${receipt.signer} does not hold RECEIPT_SIGNER_ROLE on the registry ${receipt.domain.verifyingContract}: the ledger never authorised this signer (or has revoked it), so the receipt proves nothing.`,
      };
}

/** The offline checks of a receipt against the proof bundle of its entry. */
export function checkReceiptAgainstBundle(receipt: SignedReceipt, bundle: ProofBundle): ReceiptStep[] {
  const { message, domain } = receipt;
  const steps: ReceiptStep[] = [];
  steps.push(
    message.entryHash === bundle.entryHash
      ? { step: "receipt", check: "entry", status: "pass", message: "The receipt is about this entry." }
      : { step: "receipt", check: "entry", status: "fail", message: "The receipt is about another entry than the proof.", expected: bundle.entryHash, computed: message.entryHash },
  );
  steps.push(
    message.prevRoot === bundle.block.prevRoot
      ? { step: "receipt", check: "block", status: "pass", message: `The entry was accepted against the root of block ${bundle.block.height - 1}, and it is in the very next block, as the protocol requires.` }
      : {
          step: "receipt",
          check: "block",
          status: "fail",
          message: `The entry was accepted against another root than the one block ${bundle.block.height} builds on: it was not sealed in the block it was promised to.`,
          expected: message.prevRoot,
          computed: bundle.block.prevRoot,
        },
  );
  const sealedAt = Date.parse(bundle.block.sealedAt);
  steps.push(
    Number.isNaN(sealedAt)
      ? { step: "receipt", check: "deadline", status: "fail", message: `The block's sealing time ${JSON.stringify(bundle.block.sealedAt)} cannot be read.` }
      : sealedAt <= message.sealBy * 1000
        ? { step: "receipt", check: "deadline", status: "pass", message: `Block ${bundle.block.height} was sealed at ${bundle.block.sealedAt}, before the deadline of the receipt (${at(message.sealBy)}).` }
        : {
            step: "receipt",
            check: "deadline",
            status: "fail",
            message: `Block ${bundle.block.height} was sealed at ${bundle.block.sealedAt}, after the deadline the receipt promised (${at(message.sealBy)}).`,
            expected: `sealed by ${at(message.sealBy)}`,
            computed: bundle.block.sealedAt,
          },
  );
  if (!bundle.anchor) {
    steps.push({ step: "receipt", check: "registry", status: "skipped", message: "The block is not anchored yet, so the receipt's registry cannot be compared with the block's." });
  } else {
    const same = bundle.anchor.chainId === domain.chainId && bundle.anchor.registry.toLowerCase() === domain.verifyingContract.toLowerCase();
    steps.push(
      same
        ? { step: "receipt", check: "registry", status: "pass", message: `The receipt names the registry the block is anchored in (${domain.verifyingContract} on chain ${domain.chainId}).` }
        : {
            step: "receipt",
            check: "registry",
            status: "fail",
            message: "The receipt names another registry or chain than the one the block is anchored in: it was issued for another ledger.",
            expected: `${bundle.anchor.registry} on chain ${bundle.anchor.chainId}`,
            computed: `${domain.verifyingContract} on chain ${domain.chainId}`,
          },
    );
  }
  return steps;
}
