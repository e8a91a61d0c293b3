import type { Address } from "viem";
import type { SealbookConfig } from "../config";
import { resolveChainSettings } from "./settings";

/** Where the ledger's roots are anchored, as `GET /api/v1/ledger` tells browsers. */
export interface PublicChainInfo {
  chainId: number | null;
  registry: Address | null;
  /** The JSON-RPC URL browsers should use for their own on-chain check; null when none is published. */
  rpcUrl: string | null;
}

const CHAIN_INFO_KEY = Symbol.for("sealbook.chain-info");
type ChainInfoGlobal = typeof globalThis & { [CHAIN_INFO_KEY]?: PublicChainInfo };

/**
 * Publishes where this process anchors, for code bundled apart from it (the Next.js routes served
 * by `npm start`): the chain services call it at start and again after a redeploy.
 */
export function installChainInfo(info: PublicChainInfo): void {
  (globalThis as ChainInfoGlobal)[CHAIN_INFO_KEY] = info;
}

/**
 * Where the ledger's roots are anchored: what the chain services of this process published, or else
 * what the configuration says (REGISTRY_ADDRESS, or the embedded chain.json). The public RPC URL is
 * NEXT_PUBLIC_RPC_URL (or the embedded demo's local node), never RPC_URL. Makes no RPC call.
 */
export async function getPublicChainInfo(config: SealbookConfig): Promise<PublicChainInfo> {
  const installed = (globalThis as ChainInfoGlobal)[CHAIN_INFO_KEY];
  if (installed) return installed;
  if (config.SEALBOOK_CHAIN === "off") return { chainId: null, registry: null, rpcUrl: null };
  const settings = await resolveChainSettings(config);
  return { chainId: settings.chainId, registry: settings.registry, rpcUrl: settings.publicRpcUrl };
}
