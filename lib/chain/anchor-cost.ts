/**
 * What anchoring costs per day at the configured cadence, and how long a balance lasts at that
 * rate: the console's cost and runway, and its balance warning, which fires on days left rather
 * than on a fixed amount (a fixed amount is a week on a busy mainnet ledger and years on a quiet L2).
 */

/** Gas of one anchor transaction: a fixed part plus a part per root (README "Gas": 51,913 for one root, 25,627 a root in batches of 64). */
export const GAS_PER_TRANSACTION = 27_000n;
export const GAS_PER_ROOT = 25_600n;
/** Roots per `anchorBatch` transaction when the job is behind, unless configured otherwise. */
export const DEFAULT_ANCHOR_BATCH_SIZE = 32;
/** The balance warning: fewer days left than this at the current cadence and fee. */
export const LOW_BALANCE_DAYS = 14;

export interface AnchoringCadence {
  /** ANCHOR_INTERVAL_SECONDS; 0 is off. */
  anchorIntervalSeconds: number;
  /** SEAL_INTERVAL_SECONDS; 0 is no timer (then one block per anchoring pass is assumed). */
  sealIntervalSeconds: number;
  batchSize: number;
}

export interface AnchoringCost {
  transactionsPerDay: number;
  rootsPerDay: number;
  gasPerDay: bigint;
  weiPerDay: bigint;
}

/**
 * The daily cost of anchoring at `cadence`, paying `feePerGas` (wei): a ledger busy enough that
 * every seal makes a block, so an upper bound. Each pass anchors the blocks sealed since the last
 * one in one transaction (at most `batchSize` roots).
 */
export function anchoringCostPerDay(cadence: AnchoringCadence, feePerGas: bigint): AnchoringCost {
  if (cadence.anchorIntervalSeconds <= 0) return { transactionsPerDay: 0, rootsPerDay: 0, gasPerDay: 0n, weiPerDay: 0n };
  const sealEvery = cadence.sealIntervalSeconds > 0 ? cadence.sealIntervalSeconds : cadence.anchorIntervalSeconds;
  const rootsPerDay = Math.floor(86_400 / sealEvery);
  const rootsPerTransaction = Math.max(1, Math.min(cadence.batchSize, Math.ceil(cadence.anchorIntervalSeconds / sealEvery)));
  const transactionsPerDay = Math.ceil(rootsPerDay / rootsPerTransaction);
  const gasPerDay = BigInt(transactionsPerDay) * GAS_PER_TRANSACTION + BigInt(rootsPerDay) * GAS_PER_ROOT;
  return { transactionsPerDay, rootsPerDay, gasPerDay, weiPerDay: gasPerDay * feePerGas };
}

/** Days `balance` lasts at `weiPerDay`; Infinity when nothing is spent. */
export function daysBalanceLasts(balance: bigint, weiPerDay: bigint): number {
  if (weiPerDay <= 0n) return Number.POSITIVE_INFINITY;
  return Number((balance * 1000n) / weiPerDay) / 1000;
}

/** The fee per gas anchoring pays now: the network's price, but never more than the cap (ANCHOR_MAX_FEE_GWEI). */
export function anchoringFeePerGas(gasPrice: bigint, cap: bigint | null): bigint {
  return cap !== null && cap < gasPrice ? cap : gasPrice;
}
