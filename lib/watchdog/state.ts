/**
 * What a watchdog remembers between runs: every block it verified (its header and a digest of its
 * entry list), the receipts it settled, and the findings it has reported. A block that is served
 * differently later than when it was verified is caught by comparing with this memory, even
 * before its root is anchored. Kept as a JSON file by state-file.ts, or in memory by the portal.
 */
import type { Address } from "viem";
import { z } from "zod";
import type { Hash } from "../protocol/hex";
import { ADDRESS_PATTERN, hashSchema } from "../protocol/wire/primitives";

/** A block as it was verified. */
export interface SeenBlock {
  root: Hash;
  prevRoot: Hash;
  entryCount: number;
  /** keccak256 of the entry hashes packed in leaf (sorted) order: the list, not only its root. */
  entriesDigest: Hash;
  sealedAt: string;
  /** When this watchdog first saw the block: anchoring lag counts from the earlier of this and sealedAt. */
  firstSeenAt: string;
  verifiedAt: string;
  /** True once `rootOf(height)` on chain was read and equal to `root` (it can never change after). */
  anchored: boolean;
}

export interface MonitorState {
  version: 1;
  portal: string;
  registry: Address;
  chainId: number;
  ledgerId: string | null;
  genesisRoot: Hash | null;
  /** Verified blocks by height. */
  blocks: Record<string, SeenBlock>;
  /** Receipts whose entry was found sealed, in time, in an anchored block: not asked again. */
  settledReceipts: Record<string, { height: number; root: Hash; checkedAt: string }>;
  /** Findings already reported (finding key → when first), so a webhook hears each once. */
  reported: Record<string, string>;
  /** Start of the current run of passes without a finding; null after a pass with findings. */
  consistentSince: string | null;
  /** Next verified height whose entry list is downloaded again (a rotating re-check). */
  recheckFrom: number;
}

/** A fresh state for a portal and a registry. */
export function emptyState(portal: string, registry: Address, chainId: number): MonitorState {
  return { version: 1, portal, registry, chainId, ledgerId: null, genesisRoot: null, blocks: {}, settledReceipts: {}, reported: {}, consistentSince: null, recheckFrom: 1 };
}

const hash = hashSchema;
const stateSchema = z.object({
  version: z.literal(1),
  portal: z.string(),
  registry: z.string().regex(ADDRESS_PATTERN) as unknown as z.ZodType<Address>,
  chainId: z.number().int(),
  ledgerId: z.string().nullable(),
  genesisRoot: hash.nullable(),
  blocks: z.record(
    z.string(),
    z.object({
      root: hash,
      prevRoot: hash,
      entryCount: z.number().int(),
      entriesDigest: hash,
      sealedAt: z.string(),
      firstSeenAt: z.string(),
      verifiedAt: z.string(),
      anchored: z.boolean(),
    }),
  ),
  settledReceipts: z.record(z.string(), z.object({ height: z.number().int(), root: hash, checkedAt: z.string() })),
  reported: z.record(z.string(), z.string()),
  consistentSince: z.string().nullable(),
  recheckFrom: z.number().int().min(1),
});

/** Reads a state from parsed JSON. Throws an Error naming what is wrong. */
export function parseState(value: unknown): MonitorState {
  const parsed = stateSchema.safeParse(value);
  if (!parsed.success) throw new Error(`This is not a Sealbook monitor state (version 1): ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}.`);
  return parsed.data;
}
