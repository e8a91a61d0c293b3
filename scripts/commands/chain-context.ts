import type { Address } from "viem";
import { createAnchorJob, type AnchorJob } from "../../lib/chain/anchor-job";
import { publicClientFor } from "../../lib/chain/clients";
import { DEV_ACCOUNTS } from "../../lib/chain/dev-accounts";
import { accountFromPrivateKey, PrivateKeyConfigError, secretRedactor } from "../../lib/chain/secrets";
import { anchorJobSettings, resolveChainSettings, type ChainSettings } from "../../lib/chain/settings";
import type { SealbookConfig } from "../../lib/config";
import type { LedgerContext } from "../../lib/ledger/context";
import { CliError } from "../cli-kit";

/** The chain as the CLI sees it: settings, a read client, the anchoring account and a redactor. */
export interface CliChain {
  settings: ChainSettings;
  client: ReturnType<typeof publicClientFor>;
  /** The anchoring key: ANCHOR_PRIVATE_KEY, or the dev account #0 with the embedded chain; null when neither. */
  anchorKey: string | null;
  anchorer: Address | null;
  redact: (text: string) => string;
}

/** Resolves the chain settings for a command; throws CliError on a bad address or key. */
export async function cliChain(config: SealbookConfig): Promise<CliChain> {
  let settings: ChainSettings;
  try {
    settings = await resolveChainSettings(config);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
  const anchorKey = config.ANCHOR_PRIVATE_KEY ?? (settings.embedded ? DEV_ACCOUNTS.adminAndAnchorer : null);
  let anchorer: Address | null = null;
  try {
    anchorer = anchorKey ? accountFromPrivateKey(anchorKey, "ANCHOR_PRIVATE_KEY").address : null;
  } catch (error) {
    if (error instanceof PrivateKeyConfigError) throw new CliError(error.message, 2);
    throw error;
  }
  const redact = secretRedactor({ privateKeys: [anchorKey ?? undefined, config.DEPLOYER_PRIVATE_KEY, config.RECEIPT_PRIVATE_KEY], rpcUrls: [settings.rpcUrl] });
  return { settings, client: publicClientFor(settings.rpcUrl, { pollingIntervalMs: settings.embedded ? 250 : 4_000 }), anchorKey, anchorer, redact };
}

/** The anchoring job of a CLI command (no redeploy: only the embedded `npm start` does that). */
export function cliAnchorJob(ledger: LedgerContext, chain: CliChain, options: { batchSize?: number; log: (line: string) => void }): AnchorJob {
  if (!chain.anchorKey) throw new CliError("Set ANCHOR_PRIVATE_KEY to the key of the account holding ANCHORER_ROLE.", 2);
  if (!chain.settings.registry) throw new CliError("Set REGISTRY_ADDRESS to the RootRegistry to anchor to (`sealbook deploy` creates one).", 2);
  return createAnchorJob({ ...anchorJobSettings(chain.settings), ledger, anchorPrivateKey: chain.anchorKey, batchSize: options.batchSize, log: options.log });
}

/** Parses a positive integer flag, or throws CliError naming it. */
export function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a positive integer, not ${JSON.stringify(value)}.`);
  return n;
}
