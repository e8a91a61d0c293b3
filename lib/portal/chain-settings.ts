import { getPublicChainInfo } from "../chain/chain-info";
import { latestConfirmedChainId } from "../ledger/activity";
import type { Runtime } from "../ledger/runtime";
import { publicRpcSuggestions } from "./public-rpcs";

/**
 * Where the portal tells browsers to look on chain (lib/chain/settings.ts resolves it; this is what a
 * page shows of it): the public RPC endpoint, the registry contract
 * and its chain. Each part is null when it is not known, and pages must then say "chain not
 * configured" rather than guess. The browser uses these as defaults only: a reader can replace the
 * RPC endpoint with their own, so that the on-chain check trusts no one here.
 */
export interface PortalChainSettings {
  /** The node this portal publishes (NEXT_PUBLIC_RPC_URL, or the embedded demo's); null when it publishes none. */
  rpcUrl: string | null;
  /** Public nodes of the chain to offer the reader when `rpcUrl` is null (lib/portal/public-rpcs.ts). */
  rpcSuggestions: readonly string[];
  registry: `0x${string}` | null;
  chainId: number | null;
}

/**
 * The chain settings `GET /api/v1/ledger` publishes (lib/chain/chain-info.ts), with the chain id
 * completed from the latest confirmed anchor when the configuration does not know it. Makes no
 * RPC call and never throws for missing settings.
 */
export async function getChainSettings({ config, ledger }: Pick<Runtime, "config" | "ledger">): Promise<PortalChainSettings> {
  const info = await getPublicChainInfo(config);
  let chainId = info.chainId;
  if (chainId === null && info.registry) chainId = await latestConfirmedChainId(ledger, info.registry);
  return { rpcUrl: info.rpcUrl, registry: info.registry, chainId, rpcSuggestions: info.rpcUrl ? [] : publicRpcSuggestions(chainId) };
}
