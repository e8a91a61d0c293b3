import type { Address, PublicClient } from "viem";
import { publicClientFor } from "../chain/clients";
import { DEV_ACCOUNTS } from "../chain/dev-accounts";
import { accountFromPrivateKey, secretRedactor } from "../chain/secrets";
import { resolveChainSettings, type ChainSettings } from "../chain/settings";
import type { SealbookConfig } from "../config";

/** The chain as the admin console uses it: settings, a read client, the anchoring key and a redactor. */
export interface AdminChain {
  settings: ChainSettings;
  client: PublicClient;
  /** ANCHOR_PRIVATE_KEY, or the dev account with the embedded chain; null when neither. Never shown. */
  anchorKey: string | null;
  anchorer: Address | null;
  /** Blanks the keys and the RPC URL (which may hold an API key) out of a text. */
  redact: (text: string) => string;
}

/**
 * Resolves the chain from the configuration, as `sealbook anchor` does; null when chain services
 * are off (SEALBOOK_CHAIN=off). Throws an Error naming a malformed REGISTRY_ADDRESS or key variable
 * (never its value).
 */
export async function adminChain(config: SealbookConfig, rpc: { timeoutMs?: number } = {}): Promise<AdminChain | null> {
  if (config.SEALBOOK_CHAIN === "off") return null;
  const settings = await resolveChainSettings(config);
  const anchorKey = config.ANCHOR_PRIVATE_KEY ?? (settings.embedded ? DEV_ACCOUNTS.adminAndAnchorer : null);
  const anchorer = anchorKey ? accountFromPrivateKey(anchorKey, "ANCHOR_PRIVATE_KEY").address : null;
  const redact = secretRedactor({ privateKeys: [anchorKey ?? undefined, config.DEPLOYER_PRIVATE_KEY, config.RECEIPT_PRIVATE_KEY], rpcUrls: [settings.rpcUrl] });
  const client = publicClientFor(settings.rpcUrl, { pollingIntervalMs: settings.embedded ? 250 : 4_000, timeoutMs: rpc.timeoutMs });
  return { settings, client, anchorKey, anchorer, redact };
}
