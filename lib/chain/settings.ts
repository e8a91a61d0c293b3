import { getAddress, isAddress, parseGwei, type Address } from "viem";
import type { SealbookConfig } from "../config";
import { readLocalChainRecord } from "./local-chain-file";

/** Where and how Sealbook talks to the chain, resolved from the configuration. */
export interface ChainSettings {
  /** The JSON-RPC URL the server uses: RPC_URL, or the embedded node on 127.0.0.1:HARDHAT_PORT. */
  rpcUrl: string;
  /** The JSON-RPC URL browsers should use: NEXT_PUBLIC_RPC_URL, falling back to rpcUrl. */
  publicRpcUrl: string;
  /** True when RPC_URL is unset: `npm start` runs a local Hardhat node and deploys its own registry. */
  embedded: boolean;
  /** REGISTRY_ADDRESS, or in embedded mode the address remembered in SEALBOOK_DATA_DIR/chain.json; null when unknown. */
  registry: Address | null;
  /** The chain id remembered with an embedded registry, if any. */
  chainId: number | null;
  /** The block the registry was deployed in, where its event logs start (0 when unknown). */
  deployBlock: number;
  /** Blocks an anchor needs (its own included) before it counts as confirmed; at least 1. */
  confirmations: number;
  /** ANCHOR_MAX_FEE_GWEI in wei: the most an anchor transaction offers per gas; null for no cap. */
  maxFeePerGas: bigint | null;
}

/** What an anchoring job takes from the chain settings: where, how many confirmations, the fee cap, how often to poll. */
export function anchorJobSettings(settings: ChainSettings) {
  return {
    rpcUrl: settings.rpcUrl,
    registry: settings.registry,
    confirmations: settings.confirmations,
    maxFeePerGas: settings.maxFeePerGas,
    deployBlock: settings.deployBlock,
    rpc: { pollingIntervalMs: settings.embedded ? 250 : 4_000 },
  };
}

/**
 * Resolves the chain settings from the configuration (and chain.json in embedded mode).
 * Throws an Error naming REGISTRY_ADDRESS when it is set but not an address.
 */
export async function resolveChainSettings(config: SealbookConfig): Promise<ChainSettings> {
  const embedded = !config.RPC_URL;
  const rpcUrl = config.RPC_URL ?? `http://127.0.0.1:${config.HARDHAT_PORT}`;
  let registry: Address | null = null;
  if (config.REGISTRY_ADDRESS) {
    if (!isAddress(config.REGISTRY_ADDRESS)) {
      throw new Error(`REGISTRY_ADDRESS ${JSON.stringify(config.REGISTRY_ADDRESS)} is not an address (0x followed by 40 hex digits).`);
    }
    registry = getAddress(config.REGISTRY_ADDRESS);
  }
  const local = embedded ? await readLocalChainRecord(config.SEALBOOK_DATA_DIR) : null;
  const fromFile = local && (registry === null || registry === local.registry) ? local : null;
  return {
    rpcUrl,
    publicRpcUrl: config.NEXT_PUBLIC_RPC_URL ?? rpcUrl,
    embedded,
    registry: registry ?? fromFile?.registry ?? null,
    chainId: fromFile?.chainId ?? null,
    deployBlock: fromFile?.deployBlock ?? 0,
    confirmations: Math.max(1, config.CONFIRMATIONS),
    maxFeePerGas: config.ANCHOR_MAX_FEE_GWEI === undefined ? null : parseGwei(String(config.ANCHOR_MAX_FEE_GWEI)),
  };
}
