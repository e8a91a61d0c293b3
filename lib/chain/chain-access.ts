/**
 * The chain as `npm start`'s chain services, the admin console and the CLI use it, from the one
 * reading of where this ledger anchors and with which keys (lib/chain/settings.ts), and the one
 * builder of an anchoring job from it (`anchorJobFor`).
 */
import type { Address, PublicClient } from "viem";
import type { SealbookConfig } from "../config";
import type { LedgerContext } from "../ledger/context";
import { createAnchorJob, type AnchorJob, type AnchorJobOptions } from "./anchoring/anchor-job";
import { publicClientFor } from "./clients";
import { accountFromPrivateKey, secretRedactor } from "./secrets";
import { chainKeys, resolveChainSettings, type ChainSettings } from "./settings";

/** The chain as a process uses it: settings, a read client, the anchoring key and a redactor. */
export interface ChainAccess {
  settings: ChainSettings;
  client: PublicClient;
  /** See `chainKeys`. Never shown. */
  anchorKey: string | null;
  anchorer: Address | null;
  /** Blanks the keys and the RPC URL (which may hold an API key) out of a text. */
  redact: (text: string) => string;
}

/** How often a client polls the chain: often for the local chain, which mines at once. */
export function pollingIntervalFor(settings: Pick<ChainSettings, "embedded">): number {
  return settings.embedded ? 250 : 4_000;
}

/**
 * Resolves the chain from the configuration (whatever SEALBOOK_CHAIN says). Throws an Error naming
 * a malformed REGISTRY_ADDRESS, or a PrivateKeyConfigError naming a malformed key variable (never
 * its value).
 */
export async function resolveChainAccess(config: SealbookConfig, rpc: { timeoutMs?: number } = {}): Promise<ChainAccess> {
  const settings = await resolveChainSettings(config);
  const { anchorKey } = chainKeys(config);
  const anchorer = anchorKey ? accountFromPrivateKey(anchorKey, "ANCHOR_PRIVATE_KEY").address : null;
  const redact = secretRedactor({ privateKeys: [anchorKey ?? undefined, config.DEPLOYER_PRIVATE_KEY, config.RECEIPT_PRIVATE_KEY], rpcUrls: [settings.rpcUrl] });
  const client = publicClientFor(settings.rpcUrl, { pollingIntervalMs: pollingIntervalFor(settings), timeoutMs: rpc.timeoutMs });
  return { settings, client, anchorKey, anchorer, redact };
}

/** `resolveChainAccess`, or null when chain services are off (SEALBOOK_CHAIN=off). */
export async function chainAccess(config: SealbookConfig, rpc: { timeoutMs?: number } = {}): Promise<ChainAccess | null> {
  return config.SEALBOOK_CHAIN === "off" ? null : resolveChainAccess(config, rpc);
}

/**
 * The anchoring job of `ledger` on the chain of `access`: its registry (null lets the embedded
 * mode deploy one through `redeployOnDevChain`), confirmations, fee cap, deployment block and anchoring key.
 * Throws an Error when there is no anchoring key; callers say first what to set.
 */
export function anchorJobFor(
  ledger: LedgerContext,
  access: Pick<ChainAccess, "settings" | "anchorKey">,
  options: Pick<AnchorJobOptions, "batchSize" | "log" | "hooks" | "redeployOnDevChain"> & { pollingIntervalMs?: number },
): AnchorJob {
  const { settings, anchorKey } = access;
  if (!anchorKey) throw new Error("No anchoring key: set ANCHOR_PRIVATE_KEY.");
  return createAnchorJob({
    ledger,
    rpcUrl: settings.rpcUrl,
    registry: settings.registry,
    anchorPrivateKey: anchorKey,
    confirmations: settings.confirmations,
    maxFeePerGas: settings.maxFeePerGas,
    deployBlock: settings.deployBlock,
    batchSize: options.batchSize,
    rpc: { pollingIntervalMs: options.pollingIntervalMs ?? pollingIntervalFor(settings) },
    log: options.log,
    hooks: options.hooks,
    redeployOnDevChain: options.redeployOnDevChain,
  });
}
