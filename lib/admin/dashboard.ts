import { sql } from "drizzle-orm";
import { formatEther, type Address } from "viem";
import { queryRows } from "../../db/client";
import { getAnchoringState, type AnchoringState } from "../chain/anchoring/anchoring-state";
import { chainAccess, type ChainAccess } from "../chain/chain-access";
import { getPublicChainInfo } from "../chain/chain-info";
import { getLedgerStatus, type LedgerStatus } from "../ledger/reads";
import type { Runtime } from "../ledger/runtime";

/** Gas one single-root anchor costs, with a margin (README: 51,913 measured). */
const GAS_PER_ANCHOR = 60_000n;
/** Below this many anchors' worth of gas at the current price, the balance is low. */
export const LOW_BALANCE_ANCHORS = 100;

/** The anchoring account and what it can still pay for. */
export interface AnchorerStatus {
  address: Address;
  balanceWei: string | null;
  balanceEth: string | null;
  gasPriceWei: string | null;
  /** How many single anchors the balance pays for at the current gas price. */
  anchorsAffordable: number | null;
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
 * Reads the anchoring account's balance and the gas price (a few RPC calls, each given 3 s), and
 * says whether the balance is low: fewer than LOW_BALANCE_ANCHORS anchors at today's gas price.
 * Never throws: an unreachable RPC is reported in `error`.
 */
export async function getAnchorerStatus(chain: ChainAccess): Promise<AnchorerStatus | null> {
  if (!chain.anchorer) return null;
  try {
    const [balance, gasPrice] = await Promise.all([chain.client.getBalance({ address: chain.anchorer }), chain.client.getGasPrice()]);
    const perAnchor = gasPrice * GAS_PER_ANCHOR;
    const affordable = perAnchor > 0n ? Number(balance / perAnchor) : null;
    return {
      address: chain.anchorer,
      balanceWei: balance.toString(),
      balanceEth: formatEther(balance),
      gasPriceWei: gasPrice.toString(),
      anchorsAffordable: affordable,
      low: affordable === null ? balance === 0n : affordable < LOW_BALANCE_ANCHORS,
      error: null,
    };
  } catch (error) {
    const message = chain.redact(error instanceof Error ? (error.message.split("\n")[0] ?? error.message) : String(error));
    return { address: chain.anchorer, balanceWei: null, balanceEth: null, gasPriceWei: null, anchorsAffordable: null, low: false, error: `The RPC did not answer: ${message}` };
  }
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
    anchorer: chain ? await getAnchorerStatus(chain) : null,
  };
}
