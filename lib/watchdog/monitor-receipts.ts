import { checkMerkleProof } from "../protocol/bundle";
import type { Hash } from "../protocol/hex";
import { isUnanchored } from "../chain/registry/reads";
import type { RegistryReader } from "../chain/registry/reader";
import type { Finding } from "./findings";
import type { PassSummary } from "./pass-summary";
import type { PortalBlock, PortalClient } from "./portal-client";
import type { SignedReceipt } from "../protocol/receipt";
import { checkReceiptAgainstBundle, checkReceiptSignature } from "../protocol/receipt-checks";
import { AnswerError } from "./retry";
import type { MonitorState } from "./state";

/**
 * Holds the ledger to the receipts whose sealBy has passed. A receipt counts only if it is for
 * this registry and chain, its signature recovers to its signer, and the signer holds
 * RECEIPT_SIGNER_ROLE on chain; others are noted and ignored (they prove nothing). Its entry must
 * then be proven, by the portal's bundle, in the block after the root it was accepted against,
 * sealed by sealBy, under a root that is on chain. A receipt that passes is settled in the state.
 */
export async function checkDueReceipts(ctx: {
  portal: PortalClient;
  chain: RegistryReader;
  chainId: number;
  byHeight: Map<number, PortalBlock>;
  chainRoots: Map<number, Hash>;
  state: MonitorState;
  now: Date;
  receipts: SignedReceipt[];
  findings: Finding[];
  notes: string[];
  summary: PassSummary;
}): Promise<void> {
  const { portal, chain, state, findings, notes, summary } = ctx;
  const roles = new Map<string, boolean>();
  const nowSeconds = ctx.now.getTime() / 1000;
  for (const receipt of ctx.receipts) {
    const entryHash = receipt.message.entryHash;
    if (state.settledReceipts[entryHash]) {
      summary.receipts.settled++;
      continue;
    }
    const ignore = (why: string) => {
      summary.receipts.ignored++;
      notes.push(`The receipt for ${entryHash} is ignored: ${why}`);
    };
    if (receipt.domain.chainId !== ctx.chainId || receipt.domain.verifyingContract.toLowerCase() !== chain.registry.toLowerCase()) {
      ignore(`it is for the registry ${receipt.domain.verifyingContract} on chain ${receipt.domain.chainId}, not this ledger's.`);
      continue;
    }
    const signature = await checkReceiptSignature(receipt);
    if (signature.status !== "pass") {
      ignore(`${signature.message} It is no evidence.`);
      continue;
    }
    if (!roles.has(receipt.signer)) roles.set(receipt.signer, await chain.isReceiptSigner(receipt.signer));
    if (!roles.get(receipt.signer)) {
      ignore(`its signer ${receipt.signer} does not hold RECEIPT_SIGNER_ROLE on the registry, so the ledger never stood by it.`);
      continue;
    }
    if (nowSeconds <= receipt.message.sealBy) {
      summary.receipts.notDue++;
      continue;
    }
    summary.receipts.checked++;
    const due = new Date(receipt.message.sealBy * 1000).toISOString();
    let answer;
    try {
      answer = await portal.proof(entryHash);
    } catch (error) {
      if (!(error instanceof AnswerError)) throw error;
      findings.push({ kind: "malformed_answer", entryHash, message: `The proof of an entry with a receipt cannot be read: ${error.message}` });
      continue;
    }
    if (answer.status === "unknown") {
      findings.push({
        kind: "receipt_dropped",
        entryHash,
        message: `The ledger signed a receipt for this entry (accepted ${new Date(receipt.message.acceptedAt * 1000).toISOString()}, to be sealed by ${due}), and now says it does not know it: an accepted record was dropped.`,
      });
      continue;
    }
    if (answer.status === "pending") {
      findings.push({ kind: "receipt_overdue", entryHash, message: `The entry was to be sealed by ${due}, as its receipt promised, and is still not in any block.` });
      continue;
    }
    const bundle = answer.bundle;
    const height = bundle.block.height;
    const merkle = checkMerkleProof(bundle);
    const header = ctx.byHeight.get(height);
    if (bundle.entryHash !== entryHash || merkle.status !== "pass" || (header && header.root !== bundle.block.root)) {
      findings.push({
        kind: "receipt_proof_invalid",
        entryHash,
        height,
        message: `The proof the portal gives for this entry does not hold: ${merkle.status !== "pass" ? merkle.message : `it names root ${bundle.block.root} for block ${height}, the block list says ${header?.root}`}.`,
      });
      continue;
    }
    const broken = checkReceiptAgainstBundle(receipt, bundle).filter((s) => s.status === "fail" && (s.check === "block" || s.check === "deadline"));
    for (const step of broken) findings.push({ kind: "receipt_broken", entryHash, height, message: step.message, expected: step.expected, found: step.computed });
    if (broken.length > 0) continue;
    const chainRoot = ctx.chainRoots.get(height) ?? (await chain.rootsOf([height])).get(height);
    if (isUnanchored(chainRoot)) {
      notes.push(`The entry ${entryHash} is sealed in block ${height}, which is not anchored yet: checked again on the next pass.`);
      continue;
    }
    if (chainRoot !== bundle.block.root) {
      findings.push({ kind: "receipt_proof_invalid", entryHash, height, message: `The entry is proven against a root of block ${height} that is not the one on the blockchain.`, expected: chainRoot, found: bundle.block.root });
      continue;
    }
    state.settledReceipts[entryHash] = { height, root: bundle.block.root, checkedAt: ctx.now.toISOString() };
    summary.receipts.settled++;
  }
}
