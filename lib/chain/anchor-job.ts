/**
 * The anchoring job: publishes the root of every sealed block to the RootRegistry, once, in height
 * order (PROTOCOL.md §4). One call of `anchorSealedBlocks` is one pass; `startAnchorLoop` runs passes on
 * a timer with backoff. A pass never trusts its own bookkeeping over the chain: it reads the registry
 * first and reconciles (reconcile.ts), then sends what is missing (send-anchors.ts).
 */
import { getAddress, type Account, type Address, type Chain, type Hash, type PublicClient, type Transport, type WalletClient } from "viem";
import type { LedgerContext } from "../ledger/context";
import { readHead } from "../ledger/head";
import { activeAlarm, clearAlarm, raiseAlarm, type ChainAlarm } from "./alarms";
import { AnchorError, chainStep, toAnchorError } from "./anchor-errors";
import { tryLockAnchoring } from "./anchor-lock";
import { confirmedHeight, forgetChain, forgetOtherTargets, readAnchorRows, recordFailure, type AnchorTarget, type BlockToAnchor } from "./anchor-records";
import { publicClientFor, walletClientFor, type RpcOptions } from "./clients";
import { DEV_CHAIN_ID } from "./dev-accounts";
import { reconcileWithChain } from "./reconcile";
import { readRegistrySnapshot, type RegistrySnapshot } from "./registry-reads";
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

/**
 * Finds out where to anchor: the chain id, the registry (deploying one on the embedded dev chain when
 * there is none) and its snapshot. Returns null, with `result.alarm` set, when anchoring must stop.
 */
async function openTarget(job: AnchorJob, result: AnchorPassResult): Promise<PassState | null> {
  const { db } = job.ledger;
  const chainId = await chainStep(job, "Asking the RPC for its chain id", () => job.publicClient.getChainId());
  if (job.chainId !== null && job.chainId !== chainId) job.log(`the RPC now serves chain ${chainId} (it served ${job.chainId})`);
  job.chainId = chainId;
  result.chainId = chainId;
  const canRedeploy = chainId === DEV_CHAIN_ID && job.redeployOnDevChain !== undefined;
  if (job.registry === null) {
    if (!canRedeploy) {
      throw new AnchorError("not_configured", "No registry to anchor to: set REGISTRY_ADDRESS (deploy one with `sealbook deploy`).", false);
    }
    await redeploy(job, result, `no RootRegistry is deployed yet on the local chain ${chainId}`);
  }
  let registry = job.registry as Address;
  result.registry = registry;
  let snapshot = await chainStep(job, `Reading the registry ${registry}`, () => readRegistrySnapshot(job.publicClient, registry));
  const target = (): AnchorTarget => ({ chainId, registry });

  if (!snapshot.deployed && canRedeploy) {
    await redeploy(job, result, `there is no contract at ${registry} on the local chain ${chainId}: it restarted empty`);
    registry = job.registry as Address;
    result.registry = registry;
    snapshot = await chainStep(job, `Reading the registry ${registry}`, () => readRegistrySnapshot(job.publicClient, registry));
  }
  const existing = await activeAlarm(db, target());
  if (existing) {
    result.alarm = existing;
    return null;
  }
  if (!snapshot.deployed && chainId === DEV_CHAIN_ID) {
    // The local dev chain forgets everything when it restarts: that is no alarm, and `npm start` redeploys.
    throw new AnchorError(
      "not_configured",
      `There is no contract at ${registry} on the local chain ${chainId} (it restarted empty?). \`npm start\` redeploys its registry by itself; elsewhere, deploy one with \`sealbook deploy\`.`,
      false,
    );
  }
  if (!snapshot.deployed) {
    result.alarm = await raiseAlarm(db, target(), {
      kind: "registry_missing",
      message:
        `There is no contract at ${registry} on chain ${chainId}. On a public chain a registry never disappears: check that RPC_URL ` +
        `points at the right chain and REGISTRY_ADDRESS at the right contract. Anchoring has stopped; Sealbook redeploys a registry ` +
        `only on the local development chain ${DEV_CHAIN_ID}.`,
    });
    job.log(`ALARM: ${result.alarm.message}`);
    return null;
  }
  if (snapshot.genesisRoot !== job.ledger.genesisRoot) {
    result.alarm = await raiseAlarm(db, target(), {
      kind: "genesis_mismatch",
      ledgerRoot: job.ledger.genesisRoot,
      chainRoot: snapshot.genesisRoot ?? undefined,
      message:
        `The registry ${registry} on chain ${chainId} belongs to another ledger: its genesis root is ${snapshot.genesisRoot}, ` +
        `ledger "${job.ledger.ledgerId}" has ${job.ledger.genesisRoot}. Anchoring has stopped; set REGISTRY_ADDRESS to this ledger's registry.`,
    });
    job.log(`ALARM: ${result.alarm.message}`);
    return null;
  }
  const forgotten = await forgetOtherTargets(db, target());
  if (forgotten > 0) job.log(`forgot ${forgotten} anchor records of another chain or registry; anchoring to ${registry} on chain ${chainId}`);
  return { job, target: target(), snapshot, result };
}

async function redeploy(job: AnchorJob, result: AnchorPassResult, reason: string): Promise<void> {
  const deploy = job.redeployOnDevChain;
  if (!deploy) throw new AnchorError("not_configured", `${reason}, and this job may not deploy one.`, false);
  job.log(`${reason}: deploying a new RootRegistry …`);
  const deployed = await chainStep(job, "Deploying the RootRegistry on the local chain", () => deploy(reason));
  const forgotten = await forgetChain(job.ledger.db, DEV_CHAIN_ID);
  // An alarm of the chain that is gone is moot; the new registry starts clean.
  await clearAlarm(job.ledger.db, { chainId: DEV_CHAIN_ID, registry: deployed.address });
  job.registry = getAddress(deployed.address);
  job.deployBlock = deployed.blockNumber;
  result.redeployed = deployed.address;
  const head = await readHead(job.ledger.db, job.ledger.genesisRoot);
  const history = head.height === 0 ? "" : `; ${forgotten > 0 ? "re-anchoring" : "anchoring"} the whole history (${head.height} blocks) in batches of ${job.batchSize}`;
  job.log(`RootRegistry deployed at ${job.registry}${history}`);
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
