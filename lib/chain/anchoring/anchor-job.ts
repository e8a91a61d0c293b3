/**
 * The anchoring job: publishes the root of every sealed block to the RootRegistry, once, in height
 * order (PROTOCOL.md §4). One call of `anchorSealedBlocks` is one pass; `startAnchorLoop` runs passes on
 * a timer with backoff. A pass never trusts its own bookkeeping over the chain: it reads the registry
 * first and reconciles (reconcile.ts), then sends what is missing (send-anchors.ts).
 */
import { getAddress } from "viem";
import { DEFAULT_ANCHOR_BATCH_SIZE } from "../anchor-cost";
import type { LedgerContext } from "../../ledger/context";
import { readHead } from "../../ledger/head";
import { AnchorError, toAnchorError } from "./anchor-errors";
import { tryLockAnchoring } from "./anchor-lock";
import { confirmedHeight, readAnchorRows, recordFailure } from "./anchor-records";
import type { AnchorJob, AnchorJobOptions, AnchorPassResult, PassState, StepOutcome } from "./anchor-pass";
import { publicClientFor, walletClientFor } from "../clients";
import { openTarget } from "./open-target";
import { reconcileWithChain } from "./reconcile";
import { noteChainHead } from "./finality";
import { accountFromPrivateKey, secretRedactor } from "../secrets";
import { recheckSentTransactions, sendMissingAnchors } from "./send-anchors";

export type { AnchorJob, AnchorJobHooks, AnchorJobOptions, AnchorPassResult, PassState, SentAnchors, StepOutcome } from "./anchor-pass";

/**
 * Creates an anchoring job. Validates the key (throws PrivateKeyConfigError naming the variable,
 * never the value) and builds the RPC clients; talks to nothing yet.
 */
export function createAnchorJob(options: AnchorJobOptions): AnchorJob {
  const account = accountFromPrivateKey(options.anchorPrivateKey, "ANCHOR_PRIVATE_KEY");
  const redact = secretRedactor({ privateKeys: [options.anchorPrivateKey], rpcUrls: [options.rpcUrl] });
  const log = options.log ?? (() => {});
  return {
    ledger: options.ledger,
    anchorer: account.address,
    publicClient: publicClientFor(options.rpcUrl, options.rpc),
    walletClient: walletClientFor(options.rpcUrl, account, options.rpc),
    confirmations: Math.max(1, options.confirmations ?? 1),
    batchSize: Math.max(1, options.batchSize ?? DEFAULT_ANCHOR_BATCH_SIZE),
    receiptTimeoutMs: options.receiptTimeoutMs ?? 120_000,
    maxFeePerGas: options.maxFeePerGas ?? null,
    hooks: options.hooks ?? {},
    redeployOnDevChain: options.redeployOnDevChain,
    redact,
    log: (line) => log(redact(line)),
    registry: options.registry === null ? null : getAddress(options.registry),
    deployBlock: options.deployBlock ?? 0,
    chainId: null,
  };
}

/**
 * Runs one anchoring pass. Takes the anchoring lock (answers `busy` without it), reads the registry,
 * reconciles it with the ledger (adopting roots already on chain, re-sending anchors that vanished,
 * raising an alarm on any disagreement), re-checks transactions sent earlier, then anchors the
 * remaining sealed blocks in height order, `batchSize` per transaction.
 * Throws AnchorError (`transient` ones are worth a retry with backoff); the error is also recorded as
 * `last_error` on the blocks still to anchor. Never double-anchors: the contract refuses a height twice,
 * and the job reads the chain before every send.
 */
export async function anchorSealedBlocks(job: AnchorJob): Promise<AnchorPassResult> {
  const result: AnchorPassResult = {
    outcome: "up_to_date",
    chainId: job.chainId,
    registry: job.registry,
    ledgerHead: 0,
    chainHead: 0,
    anchoredHeight: 0,
    awaitingConfirmation: 0,
    sent: [],
    adopted: 0,
    dropped: 0,
    redeployed: null,
    alarm: null,
  };
  const lock = await tryLockAnchoring(job.ledger);
  if (!lock) return { ...result, outcome: "busy" };
  try {
    await runPass(job, result);
    return result;
  } catch (error) {
    const failure = toAnchorError(error, "Anchoring", job.redact, job.anchorer);
    await recordPassFailure(job, failure);
    throw failure;
  } finally {
    await lock.release();
  }
}

async function runPass(job: AnchorJob, result: AnchorPassResult): Promise<void> {
  const { db } = job.ledger;
  for (let round = 1; ; round++) {
    const state = await openTarget(job, result);
    if (!state) break;
    noteChainHead(state.target.chainId, Number(state.snapshot.blockNumber));
    const outcome = await runSteps(state);
    const rows = await readAnchorRows(db, state.target);
    result.anchoredHeight = await confirmedHeight(db, state.target);
    result.awaitingConfirmation = [...rows.values()].filter((r) => r.status === "sent" && r.chainBlockNumber !== null).length;
    if (outcome !== "again") break;
    if (round >= 4) {
      throw new AnchorError("registry_reverted", "The registry kept changing while the job anchored; the next pass tries again.", true);
    }
  }
  if (result.alarm) result.outcome = "alarm";
  else if (result.outcome !== "waiting" && (result.sent.length > 0 || result.adopted > 0 || result.dropped > 0)) result.outcome = "anchored";
}

async function runSteps(state: PassState): Promise<StepOutcome> {
  for (const step of [reconcileWithChain, recheckSentTransactions, sendMissingAnchors]) {
    const outcome = await step(state);
    if (outcome !== "continue") return outcome;
  }
  return "continue";
}

/** Records a failed pass on the blocks still to anchor, when the target is known. Never throws over the pass's error. */
async function recordPassFailure(job: AnchorJob, failure: AnchorError): Promise<void> {
  if (job.chainId === null || job.registry === null) return;
  const target = { chainId: job.chainId, registry: job.registry };
  try {
    const head = await readHead(job.ledger.db, job.ledger.genesisRoot);
    const anchored = await confirmedHeight(job.ledger.db, target);
    await recordFailure(job.ledger.db, target, anchored + 1, head.height, failure.message);
  } catch (error) {
    job.log(`could not record the failure in the database either: ${job.redact((error as Error).message)}`);
  }
}
