/**
 * `sealbook verify` on an evidence bundle (PROTOCOL §8): the pure procedure of
 * lib/protocol/evidence-verify.ts, given a chain read through the verifier's own RPC endpoint and
 * the receipt checks of §6 (lib/protocol/receipt-checks.ts). Exit codes as for proof bundles (verify.ts):
 * 0 verified (on-chain checks skipped only with an explicit `offline`), 1 a check failed,
 * 3 nothing failed but an on-chain check could not run.
 */
import type { Address } from "viem";
import type { EvidenceBundle, EvidenceItem } from "../protocol/evidence";
import { verifyEvidenceBundle, type CheckReceipt, type ChainTarget, type EvidenceCheck, type EvidenceReport } from "../protocol/evidence-verify";
import type { Hash } from "../protocol/hex";
import type { RegistryReader } from "../chain/registry/reader";
import { patientRegistryReader } from "./retry";
import { parseReceipt, type SignedReceipt } from "../protocol/receipt";
import { checkReceiptAgainstBundle, checkReceiptSignature, checkReceiptSignerRole, type ReceiptStep } from "../protocol/receipt-checks";
import { chainMismatch, CLI_RETRY, type ChainFactory } from "./verify";

/** Whether `account` holds RECEIPT_SIGNER_ROLE on the receipt's registry; null when no chain can be read (with why). */
export type ReceiptSignerLookup = (receipt: SignedReceipt) => Promise<{ isSigner: (account: Address) => Promise<boolean> } | { skip: string }>;

/**
 * The receipt checks of PROTOCOL §6 for an evidence item: the form, the signature, that it is about
 * this entry and block, the deadline, the registry, and (with `lookup`) the signer's role on chain.
 */
export function evidenceReceiptChecker(lookup: ReceiptSignerLookup | null, offline = "No blockchain connection was given"): CheckReceipt {
  return async (value, item: EvidenceItem) => {
    let receipt: SignedReceipt;
    try {
      receipt = parseReceipt(value);
    } catch (error) {
      return [{ check: "receipt_form", status: "fail", message: `The acceptance receipt cannot be read: ${(error as Error).message}` }];
    }
    const steps: ReceiptStep[] = [await checkReceiptSignature(receipt), ...checkReceiptAgainstBundle(receipt, item.bundle)];
    const access = lookup ? await lookup(receipt) : { skip: offline };
    steps.push("skip" in access ? await checkReceiptSignerRole(receipt, null, access.skip) : await checkReceiptSignerRole(receipt, access.isSigner));
    return steps.map(toCheck);
  };
}

function toCheck(step: ReceiptStep): EvidenceCheck {
  const { step: _receipt, check, ...rest } = step;
  return { ...rest, check: `receipt_${check}` };
}

export interface EvidenceVerifyOptions {
  /** The RPC endpoint for the on-chain checks. */
  rpcUrl?: string;
  /** Accept skipped on-chain checks: an offline check, asked for explicitly. */
  offline?: boolean;
  onItem?: (done: number, total: number) => void;
}

export interface EvidenceVerifyResult extends EvidenceReport {
  exitCode: 0 | 1 | 3;
  conclusion: string;
}

/** Runs every §8 check the options allow and concludes with the exit code policy above. Never throws for a failed check. */
export async function verifyEvidence(bundle: EvidenceBundle, options: EvidenceVerifyOptions, chainFor: ChainFactory = (url, registry) => patientRegistryReader(url, registry, { retry: CLI_RETRY })): Promise<EvidenceVerifyResult> {
  const offlineReason = options.offline ? "This is an offline check (--offline)" : "No blockchain connection was given (--rpc)";
  const rpcUrl = options.rpcUrl;
  const readers = new Map<string, Promise<{ chain: RegistryReader } | { skip: string }>>();
  const readerFor = (target: ChainTarget) => {
    const key = `${target.chainId}|${target.registry.toLowerCase()}`;
    let reader = readers.get(key);
    if (!reader) {
      const chain = chainFor(rpcUrl!, target.registry as Address);
      reader = chainMismatch(chain, target.chainId).then((skip) => (skip ? { skip } : { chain }));
      readers.set(key, reader);
    }
    return reader;
  };
  const readRoot = rpcUrl
    ? async (target: ChainTarget, height: number): Promise<Hash> => {
        const access = await readerFor(target);
        if ("skip" in access) throw new Error(access.skip);
        return (await access.chain.rootsOf([height])).get(height)!;
      }
    : undefined;
  const lookup: ReceiptSignerLookup | null = rpcUrl
    ? async (receipt) => {
        const access = await readerFor({ chainId: receipt.domain.chainId, registry: receipt.domain.verifyingContract });
        if ("skip" in access) return access;
        if ((await access.chain.deployed().catch(() => null)) === false) {
          return { isSigner: async () => false }; // no contract there: no ledger stands by this signer
        }
        return { isSigner: (account) => access.chain.isReceiptSigner(account) };
      }
    : null;
  const report = await verifyEvidenceBundle(bundle, { readRoot, offlineReason, checkReceipt: evidenceReceiptChecker(lookup, offlineReason), onItem: options.onItem });
  if (report.verdict === "failed") return { ...report, exitCode: 1, conclusion: `NOT verified: ${report.counts.fail} check(s) failed (see FAIL above).` };
  if (report.verdict === "incomplete" && !options.offline) {
    return {
      ...report,
      exitCode: 3,
      conclusion: "Incomplete: nothing failed, but the on-chain checks did not run, so nothing ties these records to the public chain. Give --rpc URL (or --offline to accept an offline check).",
    };
  }
  const skipped = report.counts.skipped > 0 ? ` ${report.counts.skipped} check(s) could not be made and are listed as skipped, not passed.` : "";
  return {
    ...report,
    exitCode: 0,
    conclusion: report.verdict === "incomplete" ? `Verified offline: every check that needs no blockchain passed; the on-chain checks were skipped as asked (--offline).${skipped}` : `Verified: every check that could be made passed.${skipped}`,
  };
}
