/**
 * The shapes of the anchoring job and of one pass, shared by the job (anchor-job.ts) and the steps
 * of a pass (open-target.ts, reconcile.ts, send-anchors.ts). They live apart from the job so that the
 * steps need not import the module that runs them.
 */
import type { Account, Address, Chain, Hash, PublicClient, Transport, WalletClient } from "viem";
import type { LedgerContext } from "../../ledger/context";
import type { ChainAlarm } from "./alarms";
import type { AnchorTarget, BlockToAnchor } from "./anchor-records";
import type { RpcOptions } from "../clients";
import type { RegistrySnapshot } from "../registry/reads";

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
  /** The most a transaction (or its fee-bump replacement) offers per gas, in wei (ANCHOR_MAX_FEE_GWEI); null or unset, no cap. */
  maxFeePerGas?: bigint | null;
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
  readonly maxFeePerGas: bigint | null;
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
