/**
 * The anchoring job: publishes the root of every sealed block to the RootRegistry, once, in height
 * order (PROTOCOL.md §4). One call of `anchorSealedBlocks` is one pass; `startAnchorLoop` runs passes on
 * a timer with backoff. A pass never trusts its own bookkeeping over the chain: it reads the registry
 * first and reconciles (reconcile.ts), then sends what is missing (send-anchors.ts).
 */
import { getAddress, type Account, type Address, type Chain, type Hash, type PublicClient, type Transport, type WalletClient } from "viem";
import type { LedgerContext } from "../ledger/context";
import { readHead } from "../ledger/head";
import type { ChainAlarm } from "./alarms";
import { AnchorError, toAnchorError } from "./anchor-errors";
import { tryLockAnchoring } from "./anchor-lock";
import { confirmedHeight, readAnchorRows, recordFailure, type AnchorTarget, type BlockToAnchor } from "./anchor-records";
import { publicClientFor, walletClientFor, type RpcOptions } from "./clients";
import { openTarget } from "./open-target";
import { reconcileWithChain } from "./reconcile";
import { noteChainHead } from "./finality";
import type { RegistrySnapshot } from "./registry-reads";
import { accountFromPrivateKey, secretRedactor } from "./secrets";
import { recheckSentTransactions, sendMissingAnchors } from "./send-anchors";

/** Seams for fault-injection tests. Production code passes none. */
export interface AnchorJobHooks {
  /** Runs after the gas estimate and before the transaction is sent: a test changes the chain here. */
  beforeSend?(batch: BlockToAnchor[]): Promise<void> | void;
  /** Runs after the transaction is sent and before it is recorded: a test throws here to play a crash. */
  afterSend?(sent: { txHash: Hash; firstHeight: number; count: number }): Promise<void> | void;
}

export interface AnchorJobOptions {
  ledger: LedgerContext;
  rpcUrl: string;
  /** The registry; null lets the embedded mode deploy one on the local dev chain. */
  registry: Address | null;
  /** ANCHOR_PRIVATE_KEY: the account holding ANCHORER_ROLE. Never logged or stored. */
  anchorPrivateKey: string;
  /** Blocks an anchor needs, its own included, before it counts as confirmed (default 1). */
  confirmations?: number;
  /** Roots per `anchorBatch` transaction when the job is behind (default 32). */
  batchSize?: number;
  /** The registry's deployment block, where the search for its events starts (default 0). */
  deployBlock?: number;
  rpc?: RpcOptions;
  /** How long to wait for a sent transaction to be mined within a pass (default 120 s). */
  receiptTimeoutMs?: number;
  /**
   * Embedded mode only: deploys a fresh registry when there is none (no address yet, or no code at
   * it because the local chain restarted empty). Called only on the local dev chain 31337; on any other
   * chain a missing registry raises an alarm instead.
   */
  redeployOnDevChain?: (reason: string) => Promise<{ address: Address; blockNumber: number }>;
  /** Progress lines, one per step that changed something. */
  log?: (line: string) => void;
  hooks?: AnchorJobHooks;
}

/** A configured anchoring job; create it with `createAnchorJob`. */
export interface AnchorJob {
  readonly ledger: LedgerContext;
  readonly anchorer: Address;
  readonly publicClient: PublicClient;
  readonly walletClient: WalletClient<Transport, Chain | undefined, Account>;
  readonly confirmations: number;
  readonly batchSize: number;
  readonly receiptTimeoutMs: number;
  readonly hooks: AnchorJobHooks;
  readonly redeployOnDevChain?: AnchorJobOptions["redeployOnDevChain"];
  /** Blanks the key and RPC secrets out of a text; every logged or stored message goes through it. */
  readonly redact: (text: string) => string;
  readonly log: (line: string) => void;
  /** Where the job anchors now; the embedded mode moves it on a redeploy. */
  registry: Address | null;
  deployBlock: number;
  /** The chain id the RPC last reported, once known. */
  chainId: number | null;
}

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
    batchSize: Math.max(1, options.batchSize ?? 32),
    receiptTimeoutMs: options.receiptTimeoutMs ?? 120_000,
    hooks: options.hooks ?? {},
    redeployOnDevChain: options.redeployOnDevChain,
    redact,
    log: (line) => log(redact(line)),
    registry: options.registry === null ? null : getAddress(options.registry),
    deployBlock: options.deployBlock ?? 0,
    chainId: null,
  };
}

/** A transaction the pass sent and saw mined. */
export interface SentAnchors {
  txHash: Hash;
  firstHeight: number;
  count: number;
  blockNumber: number;
  gasUsed: bigint;
}

/** What one pass did and where things stand after it. */
export interface AnchorPassResult {
  /**
   * `anchored`: sent or recorded anchors; `up_to_date`: nothing to do; `waiting`: a sent transaction is
   * not mined yet; `busy`: another job holds the lock; `alarm`: the chain disagrees, nothing is sent.
   */
  outcome: "anchored" | "up_to_date" | "waiting" | "busy" | "alarm";
  chainId: number | null;
  registry: Address | null;
  ledgerHead: number;
  /** The registry's latest height, counting the anchors this pass sent. */
  chainHead: number;
  /** The highest confirmed height after the pass. */
  anchoredHeight: number;
  /** Heights mined but short of CONFIRMATIONS. */
  awaitingConfirmation: number;
  sent: SentAnchors[];
  /** Heights found on chain and recorded from their events (after a crash, or anchored by another process). */
  adopted: number;
  /** Heights whose anchor had vanished from the chain (reorg, reset, dropped or reverted transaction). */
  dropped: number;
  /** The new registry address when the embedded chain's registry was redeployed. */
  redeployed: Address | null;
  alarm: ChainAlarm | null;
}

/** Mutable state of one pass, shared by its steps. */
export interface PassState {
  job: AnchorJob;
  target: AnchorTarget;
  snapshot: RegistrySnapshot;
  result: AnchorPassResult;
}

/** What a step of the pass decided. */
export type StepOutcome = "continue" | "again" | "stop";

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
