/**
 * The sending side of a pass: re-checks transactions sent earlier and not seen mined (a crash, a
 * timeout), then anchors the sealed blocks beyond the registry's latest height, in height order,
 * `batchSize` roots per transaction.
 */
import { formatGwei, TransactionNotFoundError, TransactionReceiptNotFoundError, WaitForTransactionReceiptTimeoutError, type Hash, type Transaction, type TransactionReceipt } from "viem";
import { rootRegistryAbi } from "../registry/abi";
import { AnchorError, chainStep, registryRevertOf, toAnchorError } from "./anchor-errors";
import type { AnchorJob, PassState, StepOutcome } from "./anchor-pass";
import { readAnchorRows, readBlocksToAnchor, recordDropped, recordFailure, recordMined, recordReplaced, recordSent, type BlockToAnchor } from "./anchor-records";
import { span } from "../../ledger/heights";
import { ANCHORER_ROLE, hasRegistryRole } from "../registry/reads";

/** Registry errors that mean "the chain changed since the job read it": read it again, then decide. */
const CHAIN_MOVED = new Set(["RootRegistryHeightAlreadyAnchored", "RootRegistryHeightNotNext", "RootRegistryPrevRootMismatch"]);

/**
 * Re-checks the transactions recorded as sent but not seen mined, above the registry's latest height:
 * mined since the snapshot (read the chain again), reverted or unknown to the RPC (send again), or
 * still pending (wait for it, at most `receiptTimeoutMs`, and never send a second one meanwhile).
 * A pending transaction priced out of the chain (its fee cap below the latest block's base fee,
 * after a fee spike) is replaced first: the same call with the same nonce and higher fees.
 */
export async function recheckSentTransactions(state: PassState): Promise<StepOutcome> {
  const { job, target, snapshot, result } = state;
  const rows = await readAnchorRows(job.ledger.db, target);
  const byTx = new Map<Hash, number[]>();
  for (const r of rows.values()) {
    if (r.status !== "sent" || r.txHash === null || r.chainBlockNumber !== null || r.height <= snapshot.latestHeight) continue;
    byTx.set(r.txHash, [...(byTx.get(r.txHash) ?? []), r.height]);
  }
  for (const [txHash, heights] of byTx) {
    const receipt = await receiptOrNull(job, txHash);
    if (receipt?.status === "success") return "again";
    if (receipt?.status === "reverted") {
      await dropReverted(state, txHash, heights, receipt.blockNumber);
      return "again";
    }
    const pending = await chainStep(job, `Looking up transaction ${txHash}`, async () => {
      try {
        return await job.publicClient.getTransaction({ hash: txHash });
      } catch (error) {
        if (error instanceof TransactionNotFoundError) return null;
        throw error;
      }
    });
    if (pending === null) {
      await recordDropped(job.ledger.db, target, heights, `The RPC no longer knows transaction ${txHash}: it was dropped. It is sent again.`);
      result.dropped += heights.length;
      job.log(`transaction ${txHash} (blocks ${span(heights)}) was dropped by the node; sending them again`);
      return "again";
    }
    const waitFor = (await replaceIfPricedOut(state, pending, heights)) ?? txHash;
    job.log(`transaction ${waitFor} (blocks ${span(heights)}) is still pending; waiting for it`);
    try {
      await job.publicClient.waitForTransactionReceipt({ hash: waitFor, timeout: job.receiptTimeoutMs });
      return "again";
    } catch (error) {
      const failure = toAnchorError(error, `Waiting for transaction ${waitFor}`, job.redact, job.anchorer);
      if (failure.code === "rpc_unreachable") throw failure;
      result.outcome = "waiting";
      job.log(`transaction ${waitFor} is still not mined; the next pass checks it again (nothing else is sent meanwhile)`);
      return "stop";
    }
  }
  return "continue";
}

/**
 * Replaces `tx` when no block can include it at today's prices: its fee cap (or legacy gas price)
 * is below the latest block's base fee. The replacement is the same call from the same account
 * with the same nonce, so at most one of the two can ever be mined, and its fees are the network's
 * current estimate, and at least 12.5% above the old ones (nodes refuse a replacement that bids
 * less than 10% more). Returns the replacement's hash, or null when `tx` can still be mined.
 */
async function replaceIfPricedOut(state: PassState, tx: Transaction, heights: number[]): Promise<Hash | null> {
  const { job, target } = state;
  const latest = await chainStep(job, "Reading the latest chain block", () => job.publicClient.getBlock());
  const baseFee = latest.baseFeePerGas;
  const offered = tx.maxFeePerGas ?? tx.gasPrice;
  if (baseFee === null || baseFee === undefined || offered === undefined || offered >= baseFee || tx.to === null) return null;
  const estimate = await chainStep(job, "Estimating current fees", () => job.publicClient.estimateFeesPerGas());
  const atLeast = (old: bigint | undefined, now: bigint) => {
    const floor = old === undefined ? 0n : (old * 9n) / 8n + 1n;
    return now > floor ? now : floor;
  };
  let maxPriorityFeePerGas = atLeast(tx.maxPriorityFeePerGas ?? tx.gasPrice, estimate.maxPriorityFeePerGas);
  let maxFeePerGas = atLeast(offered, estimate.maxFeePerGas);
  if (maxFeePerGas < baseFee + maxPriorityFeePerGas) maxFeePerGas = baseFee + maxPriorityFeePerGas;
  const cap = job.maxFeePerGas;
  if (cap !== null && maxFeePerGas > cap) {
    // Under the cap, a replacement must still outbid the old one by 12.5% and pay the base fee; if it cannot, the transaction waits.
    const priorityFloor = atLeast(tx.maxPriorityFeePerGas ?? tx.gasPrice, 0n);
    if (cap <= baseFee || cap < atLeast(offered, 0n) || cap - baseFee < priorityFloor) {
      throw feeAboveCap(job, baseFee, `transaction ${tx.hash} (blocks ${span(heights)}) stays pending at ${formatGwei(offered)} gwei and is not bumped above the cap`);
    }
    maxFeePerGas = cap;
    if (maxPriorityFeePerGas > cap - baseFee) maxPriorityFeePerGas = cap - baseFee;
  }
  const replacement = await chainStep(job, `Replacing transaction ${tx.hash}`, () =>
    job.walletClient.sendTransaction({
      account: job.walletClient.account!,
      chain: null,
      to: tx.to!,
      data: tx.input,
      gas: tx.gas,
      nonce: tx.nonce,
      maxFeePerGas,
      maxPriorityFeePerGas,
    }),
  );
  const note =
    `Transaction ${tx.hash} offered at most ${formatGwei(offered)} gwei per gas, below the base fee of ${formatGwei(baseFee)} gwei, ` +
    `so no block would include it; replaced by ${replacement} at up to ${formatGwei(maxFeePerGas)} gwei (same nonce ${tx.nonce}).`;
  await recordReplaced(job.ledger.db, target, tx.hash, replacement, note);
  job.log(`transaction ${tx.hash} (blocks ${span(heights)}) was priced out (${formatGwei(offered)} < ${formatGwei(baseFee)} gwei base fee); replaced by ${replacement}`);
  return replacement;
}

/** Anchors the sealed blocks beyond the registry's latest height, `batchSize` per transaction. */
export async function sendMissingAnchors(state: PassState): Promise<StepOutcome> {
  const { job, target, snapshot, result } = state;
  let next = snapshot.latestHeight + 1;
  const head = result.ledgerHead;
  if (next > head) return "continue";
  const allowed = await chainStep(job, "Checking the anchorer's role", () =>
    hasRegistryRole(job.publicClient, target.registry, ANCHORER_ROLE, job.anchorer),
  );
  if (!allowed) {
    throw new AnchorError(
      "anchorer_role_missing",
      `The anchoring account ${job.anchorer} does not hold ANCHORER_ROLE on the registry ${target.registry} (chain ${target.chainId}), so ` +
        `blocks ${next}–${head} wait. An admin must grant it: grantRole(ANCHORER_ROLE, ${job.anchorer}). Anchoring resumes by itself once it is granted.`,
      true,
    );
  }
  if (head - next + 1 > job.batchSize) job.log(`${head - next + 1} blocks to anchor (${next}–${head}), in batches of ${job.batchSize}`);
  while (next <= head) {
    const blocks = await readBlocksToAnchor(job.ledger.db, next, Math.min(next + job.batchSize - 1, head));
    if (blocks.length === 0 || blocks[0].height !== next) throw new AnchorError("unexpected", `Block ${next} is missing from the ledger; run \`sealbook audit\`.`, false);
    const outcome = await sendBatch(state, blocks);
    if (outcome !== "continue") return outcome;
    next += blocks.length;
  }
  return "continue";
}

/** Sends one transaction anchoring `blocks` (consecutive), records it, and waits for it to be mined. */
async function sendBatch(state: PassState, blocks: BlockToAnchor[]): Promise<StepOutcome> {
  const { job, target, result } = state;
  const first = blocks[0].height;
  const heights = blocks.map((b) => b.height);
  const what = `block${blocks.length > 1 ? "s" : ""} ${span(heights)}`;
  let gas: bigint;
  try {
    gas = await estimateAnchorGas(job, target.registry, blocks);
  } catch (error) {
    const revert = registryRevertOf(error);
    if (revert && CHAIN_MOVED.has(revert.errorName)) {
      job.log(`the registry changed since the job read it (${revert.errorName}); reading it again before anchoring ${what}`);
      return "again";
    }
    throw toAnchorError(error, `Preparing the anchor of ${what}`, job.redact, job.anchorer);
  }
  const fees = await feesUnderCap(job, what);
  await job.hooks.beforeSend?.(blocks);
  // The gas is fixed from the estimate (plus a margin), so that a transaction the chain would now refuse
  // is still mined and fails visibly, rather than hiding behind a second estimate.
  let txHash: Hash;
  try {
    txHash = await sendAnchorTransaction(job, target.registry, blocks, (gas * 5n) / 4n, fees);
  } catch (error) {
    // A node that mines at once (Hardhat's automine) answers a transaction that reverted with an error.
    const revert = registryRevertOf(error);
    if (revert && CHAIN_MOVED.has(revert.errorName)) {
      const message = `The anchor transaction of ${what} reverted with ${revert.errorName}: the registry changed after the job read it. Reading the chain again.`;
      await recordFailure(job.ledger.db, target, first, first + blocks.length - 1, message);
      job.log(`the anchor transaction of ${what} reverted (${revert.errorName}); reading the registry again`);
      return "again";
    }
    throw toAnchorError(error, `Sending the anchor of ${what}`, job.redact, job.anchorer);
  }
  await job.hooks.afterSend?.({ txHash, firstHeight: first, count: blocks.length });
  await recordSent(job.ledger.db, target, first, blocks.length, txHash);
  job.log(`sent ${what} in transaction ${txHash}`);
  let receipt: TransactionReceipt;
  try {
    receipt = await job.publicClient.waitForTransactionReceipt({ hash: txHash, timeout: job.receiptTimeoutMs });
  } catch (error) {
    if (!(error instanceof WaitForTransactionReceiptTimeoutError)) throw toAnchorError(error, `Waiting for transaction ${txHash}`, job.redact, job.anchorer);
    // The RPC went away, or the chain is slow: the transaction stays recorded as sent, and the next
    // pass looks it up before sending anything else.
    throw new AnchorError(
      "rpc_error",
      `Transaction ${txHash} (${what}) was sent but not seen mined within ${Math.round(job.receiptTimeoutMs / 1000)} s (is the RPC reachable?); the next pass checks it again.`,
      true,
      { cause: error },
    );
  }
  if (receipt.status === "reverted") {
    await dropReverted(state, txHash, heights, receipt.blockNumber);
    return "again";
  }
  const confirmed = job.confirmations <= 1;
  await recordMined(job.ledger.db, target, txHash, Number(receipt.blockNumber), receipt.gasUsed, confirmed);
  result.sent.push({ txHash, firstHeight: first, count: blocks.length, blockNumber: Number(receipt.blockNumber), gasUsed: receipt.gasUsed });
  result.chainHead = Math.max(result.chainHead, first + blocks.length - 1);
  job.log(
    `anchored ${what} in chain block ${receipt.blockNumber} (gas ${receipt.gasUsed})` +
      (confirmed ? "" : `; confirmed after ${job.confirmations} blocks`),
  );
  return "continue";
}

async function dropReverted(state: PassState, txHash: Hash, heights: number[], blockNumber: bigint): Promise<void> {
  const { job, target, result } = state;
  await recordDropped(
    job.ledger.db,
    target,
    heights,
    `Transaction ${txHash} reverted in chain block ${blockNumber}: the registry changed after the job read it. Reading the chain again.`,
  );
  result.dropped += heights.length;
  job.log(`transaction ${txHash} (blocks ${span(heights)}) reverted in chain block ${blockNumber}; reading the registry again`);
}

type CappedFees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };

/**
 * The fees a new anchor transaction offers under ANCHOR_MAX_FEE_GWEI: the network's estimate, cut
 * to the cap. Undefined without a cap (the client's own estimate). Throws AnchorError
 * `fee_above_cap` when the latest base fee is at or above the cap: no transaction under the cap
 * could be mined now, so the blocks wait (a warning, until the anchoring lag passes its threshold).
 */
async function feesUnderCap(job: AnchorJob, what: string): Promise<CappedFees | undefined> {
  const cap = job.maxFeePerGas;
  if (cap === null) return undefined;
  const latest = await chainStep(job, "Reading the latest chain block", () => job.publicClient.getBlock());
  const baseFee = latest.baseFeePerGas ?? 0n;
  if (baseFee >= cap) throw feeAboveCap(job, baseFee, `${what} wait${what.startsWith("blocks") ? "" : "s"}`);
  const estimate = await chainStep(job, "Estimating current fees", () => job.publicClient.estimateFeesPerGas());
  const maxFeePerGas = estimate.maxFeePerGas < cap ? estimate.maxFeePerGas : cap;
  const room = maxFeePerGas - baseFee;
  return { maxFeePerGas, maxPriorityFeePerGas: estimate.maxPriorityFeePerGas < room ? estimate.maxPriorityFeePerGas : room };
}

function feeAboveCap(job: AnchorJob, baseFee: bigint, consequence: string): AnchorError {
  const cap = job.maxFeePerGas ?? 0n;
  job.log(`the base fee (${formatGwei(baseFee)} gwei) is above the cap ANCHOR_MAX_FEE_GWEI=${formatGwei(cap)}: ${consequence}`);
  return new AnchorError(
    "fee_above_cap",
    `Network fees are above the cap: the base fee is ${formatGwei(baseFee)} gwei per gas, the cap ANCHOR_MAX_FEE_GWEI is ${formatGwei(cap)}, so ${consequence} until fees fall. ` +
      "This is a warning; it becomes an alarm only when the anchoring lag passes its threshold. Raise ANCHOR_MAX_FEE_GWEI to anchor now at a higher cost.",
    true,
  );
}

async function receiptOrNull(job: AnchorJob, hash: Hash): Promise<TransactionReceipt | null> {
  return chainStep(job, `Reading the receipt of ${hash}`, async () => {
    try {
      return await job.publicClient.getTransactionReceipt({ hash });
    } catch (error) {
      if (error instanceof TransactionReceiptNotFoundError) return null;
      throw error;
    }
  });
}

function estimateAnchorGas(job: AnchorJob, registry: `0x${string}`, blocks: BlockToAnchor[]): Promise<bigint> {
  const account = job.walletClient.account;
  if (blocks.length === 1) {
    const [b] = blocks;
    return job.publicClient.estimateContractGas({ address: registry, abi: rootRegistryAbi, functionName: "anchor", args: [BigInt(b.height), b.root, b.prevRoot, b.entryCount], account });
  }
  return job.publicClient.estimateContractGas({ address: registry, abi: rootRegistryAbi, functionName: "anchorBatch", args: batchArgs(blocks), account });
}

function sendAnchorTransaction(job: AnchorJob, registry: `0x${string}`, blocks: BlockToAnchor[], gas: bigint, fees: CappedFees | undefined): Promise<Hash> {
  const base = { address: registry, abi: rootRegistryAbi, gas, chain: null, account: job.walletClient.account, ...fees } as const;
  if (blocks.length === 1) {
    const [b] = blocks;
    return job.walletClient.writeContract({ ...base, functionName: "anchor", args: [BigInt(b.height), b.root, b.prevRoot, b.entryCount] });
  }
  return job.walletClient.writeContract({ ...base, functionName: "anchorBatch", args: batchArgs(blocks) });
}

function batchArgs(blocks: BlockToAnchor[]): readonly [bigint, Hash, Hash[], number[]] {
  return [BigInt(blocks[0].height), blocks[0].prevRoot, blocks.map((b) => b.root), blocks.map((b) => b.entryCount)];
}
