import { sql } from "drizzle-orm";
import { formatEther, type Address } from "viem";
import { queryRows } from "../../db/client";
import { getAnchoringState, type AnchoringState } from "../chain/anchoring/anchoring-state";
import { chainAccess, type ChainAccess } from "../chain/chain-access";
import { anchoringCostPerDay, anchoringFeePerGas, daysBalanceLasts, DEFAULT_ANCHOR_BATCH_SIZE, LOW_BALANCE_DAYS, type AnchoringCadence } from "../chain/anchor-cost";
import { getPublicChainInfo } from "../chain/chain-info";
import { getLedgerStatus, type LedgerStatus } from "../ledger/reads";
import type { Runtime } from "../ledger/runtime";

/** Gas one single-root anchor costs, with a margin (README: 51,913 measured). */
const GAS_PER_ANCHOR = 60_000n;

/** The anchoring account and what it can still pay for. */
export interface AnchorerStatus {
  address: Address;
  balanceWei: string | null;
  balanceEth: string | null;
  gasPriceWei: string | null;
  /** How many single anchors the balance pays for at the current gas price. */
  anchorsAffordable: number | null;
  /** The fee per gas anchoring pays now: the gas price, or ANCHOR_MAX_FEE_GWEI when that is lower. */
  feePerGasWei: string | null;
  /** What anchoring costs a day at the configured cadence and that fee (a busy ledger: every seal makes a block). */
  costPerDayWei: string | null;
  costPerDayEth: string | null;
  /** How many days the balance lasts at that cost (null when nothing is spent). */
  daysLeft: number | null;
  /** The balance warning: fewer than LOW_BALANCE_DAYS days left (or nothing at all). */
  low: boolean;
  /** Why the balance could not be read (redacted), or null. */
  error: string | null;
}

export interface Dashboard {
  ledger: LedgerStatus;
  anchoring: AnchoringState;
  /** When the oldest block not anchored yet was sealed: how long anchoring has lagged. */
  oldestUnanchoredSealedAt: Date | null;
  chain: { off: boolean; embedded: boolean; chainId: number | null; registry: Address | null; confirmations: number | null };
  anchorer: AnchorerStatus | null;
}

/**
 * Reads the anchoring account's balance and the gas price (a few RPC calls, each given 3 s), works
 * out the cost per day at `cadence` and today's fee (capped by ANCHOR_MAX_FEE_GWEI), and says
 * whether the balance is low: it lasts fewer than LOW_BALANCE_DAYS days at that cost.
 * Never throws: an unreachable RPC is reported in `error`.
 */
export async function getAnchorerStatus(chain: ChainAccess, cadence: AnchoringCadence): Promise<AnchorerStatus | null> {
  if (!chain.anchorer) return null;
  try {
    const [balance, gasPrice] = await Promise.all([chain.client.getBalance({ address: chain.anchorer }), chain.client.getGasPrice()]);
    const perAnchor = gasPrice * GAS_PER_ANCHOR;
    const affordable = perAnchor > 0n ? Number(balance / perAnchor) : null;
    const fee = anchoringFeePerGas(gasPrice, chain.settings.maxFeePerGas);
    const cost = anchoringCostPerDay(cadence, fee);
    const days = daysBalanceLasts(balance, cost.weiPerDay);
    return {
      address: chain.anchorer,
      balanceWei: balance.toString(),
      balanceEth: formatEther(balance),
      gasPriceWei: gasPrice.toString(),
      anchorsAffordable: affordable,
      feePerGasWei: fee.toString(),
      costPerDayWei: cost.weiPerDay.toString(),
      costPerDayEth: formatEther(cost.weiPerDay),
      daysLeft: Number.isFinite(days) ? days : null,
      low: balance === 0n || days < LOW_BALANCE_DAYS,
      error: null,
    };
  } catch (error) {
    const message = chain.redact(error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error));
    const unknown = { balanceWei: null, balanceEth: null, gasPriceWei: null, anchorsAffordable: null, feePerGasWei: null, costPerDayWei: null, costPerDayEth: null, daysLeft: null };
    return { address: chain.anchorer, ...unknown, low: false, error: `The RPC did not answer: ${message}` };
  }
}

/** The anchoring cadence the configuration sets. */
export function anchoringCadenceOf(config: Runtime["config"]): AnchoringCadence {
  return { anchorIntervalSeconds: config.ANCHOR_INTERVAL_SECONDS, sealIntervalSeconds: config.SEAL_INTERVAL_SECONDS, batchSize: DEFAULT_ANCHOR_BATCH_SIZE };
}

/** Everything the console's dashboard shows. Makes a few RPC calls for the anchorer's balance. */
export async function getDashboard(runtime: Runtime): Promise<Dashboard> {
  const { ledger, config } = runtime;
  const [status, anchoring, chain, publicChain] = await Promise.all([
    getLedgerStatus(ledger),
    getAnchoringState(ledger),
    chainAccess(config, { timeoutMs: 3_000 }),
    getPublicChainInfo(config),
  ]);
  const [oldest] = await queryRows<{ sealed_at: Date | string }>(
    ledger.db,
    sql`select b.sealed_at from blocks b left join anchors a on a.height = b.height and a.status = 'confirmed'
        where a.height is null order by b.height limit 1`,
  );
  return {
    ledger: status,
    anchoring,
    oldestUnanchoredSealedAt: oldest ? new Date(oldest.sealed_at) : null,
    chain: {
      off: chain === null,
      embedded: chain?.settings.embedded ?? false,
      chainId: publicChain.chainId ?? anchoring.chainId ?? chain?.settings.chainId ?? null,
      registry: publicChain.registry ?? anchoring.registry ?? chain?.settings.registry ?? null,
      confirmations: chain?.settings.confirmations ?? null,
    },
    anchorer: chain ? await getAnchorerStatus(chain, anchoringCadenceOf(config)) : null,
  };
}
