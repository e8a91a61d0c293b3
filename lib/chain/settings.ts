/**
 * Where this ledger anchors and with which keys, worked out once from the configuration: the RPC,
 * the registry, the chain and confirmations (`resolveChainSettings`), and the anchoring and receipt
 * keys (`chainKeys`). Every caller (chain services, console, CLI, receipt issuance, portal, health)
 * reads them from here.
 */
import { getAddress, isAddress, parseGwei, type Address } from "viem";
import type { SealbookConfig } from "../config";
import { DEV_ACCOUNTS } from "./dev-accounts";
import { readLocalChainRecord } from "./local-chain-file";

/** Where and how Sealbook talks to the chain, resolved from the configuration. */
export interface ChainSettings {
  /** The JSON-RPC URL the server uses: RPC_URL, or the embedded node on 127.0.0.1:HARDHAT_PORT. */
  rpcUrl: string;
  /**
   * The JSON-RPC URL the portal publishes for browsers: NEXT_PUBLIC_RPC_URL only. Never RPC_URL,
   * which often carries an API key (the log redactor treats it as a secret). The one exception is
   * the embedded demo (RPC_URL unset): its local Hardhat node on 127.0.0.1 is the demo itself, holds
   * nothing secret, and only a browser on the same machine can reach it. Null when nothing may be
   * published: the portal then asks the reader for a node (lib/portal/public-rpcs.ts).
   */
  publicRpcUrl: string | null;
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
    publicRpcUrl: config.NEXT_PUBLIC_RPC_URL ?? (embedded ? rpcUrl : null),
    embedded,
    registry: registry ?? fromFile?.registry ?? null,
    chainId: fromFile?.chainId ?? null,
    deployBlock: fromFile?.deployBlock ?? 0,
    confirmations: Math.max(1, config.CONFIRMATIONS),
    maxFeePerGas: config.ANCHOR_MAX_FEE_GWEI === undefined ? null : parseGwei(String(config.ANCHOR_MAX_FEE_GWEI)),
  };
}

/** The keys the configuration names, raw (not validated, never shown). */
export interface ChainKeys {
  /** ANCHOR_PRIVATE_KEY, or dev account #0 with the embedded chain (RPC_URL unset); null when neither. */
  anchorKey: string | null;
  /** RECEIPT_PRIVATE_KEY, or dev account #1 with the embedded chain; null when neither. */
  receiptKey: string | null;
}

/** Which keys anchor and sign receipts: the configured ones, or the dev accounts of the embedded chain. */
export function chainKeys(config: SealbookConfig): ChainKeys {
  const embedded = !config.RPC_URL;
  return {
    anchorKey: config.ANCHOR_PRIVATE_KEY ?? (embedded ? DEV_ACCOUNTS.adminAndAnchorer : null),
    receiptKey: config.RECEIPT_PRIVATE_KEY ?? (embedded ? DEV_ACCOUNTS.receiptSigner : null),
  };
}
