import { anchorJobFor, resolveChainAccess, type ChainAccess } from "../../lib/chain/chain-access";
import type { AnchorJob } from "../../lib/chain/anchoring/anchor-job";
import type { SealbookConfig } from "../../lib/config";
import type { LedgerContext } from "../../lib/ledger/context";
import { CliError } from "../cli-kit";

/** The chain as the CLI sees it (lib/chain/chain-access.ts). */
export type CliChain = ChainAccess;

/** Resolves the chain settings for a command; throws CliError (exit 2) on a bad address or key, or an unreadable chain.json. */
export async function cliChain(config: SealbookConfig): Promise<CliChain> {
  try {
    return await resolveChainAccess(config);
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
}

/** The anchoring job of a CLI command (no redeploy: only the embedded `npm start` does that). */
export function cliAnchorJob(ledger: LedgerContext, chain: CliChain, options: { batchSize?: number; log: (line: string) => void }): AnchorJob {
  if (!chain.anchorKey) throw new CliError("Set ANCHOR_PRIVATE_KEY to the key of the account holding ANCHORER_ROLE.", 2);
  if (!chain.settings.registry) throw new CliError("Set REGISTRY_ADDRESS to the RootRegistry to anchor to (`sealbook deploy` creates one).", 2);
  return anchorJobFor(ledger, chain, options);
}

/** Parses a positive integer flag, or throws CliError naming it. */
export function positiveInt(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`${flag} must be a positive integer, not ${JSON.stringify(value)}.`);
  return n;
}
