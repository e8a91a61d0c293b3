import { blockAnchoredAt } from "../ledger/activity";
import type { LedgerContext } from "../ledger/context";
import { getBlock, getEntryStatus, type AnchorInfo } from "../ledger/reads";
import type { Hash } from "../protocol/hex";

/** What a verification certificate states about one entry, and what it still lacks. */
export type CertificateFacts =
  | { stage: "pending"; entryHash: Hash; acceptedAt: Date }
  | {
      stage: "sealed" | "anchored";
      entryHash: Hash;
      acceptedAt: Date;
      block: { height: number; root: Hash; sealedAt: Date; entryCount: number };
      /** Where and when the block's root was written on the blockchain; null while it is not. */
      anchor: (AnchorInfo & { anchoredAt: Date | null }) | null;
    };

/**
 * Gathers the facts of an entry's verification certificate: pending (no block yet), sealed (in a
 * block whose root is not on the blockchain yet) or anchored. Null for an entry the ledger never
 * accepted.
 */
export async function readCertificateFacts(ledger: LedgerContext, entryHash: Hash): Promise<CertificateFacts | null> {
  const status = await getEntryStatus(ledger, entryHash);
  if (!status) return null;
  if (status.status === "pending") return { stage: "pending", entryHash, acceptedAt: status.acceptedAt };
  const block = await getBlock(ledger, status.height);
  if (!block) return { stage: "pending", entryHash, acceptedAt: status.acceptedAt };
  const anchoredAt = block.anchor ? await blockAnchoredAt(ledger, block.height) : null;
  return {
    stage: block.anchor ? "anchored" : "sealed",
    entryHash,
    acceptedAt: status.acceptedAt,
    block: { height: block.height, root: block.root, sealedAt: block.sealedAt, entryCount: block.entryCount },
    anchor: block.anchor ? { ...block.anchor, anchoredAt } : null,
  };
}
