import type { LedgerContext } from "../../ledger/context";
import { sealPendingEntries, type BlockHeader, type SealProgress } from "../../ledger/seal";
import type { ProgressReporter } from "../http/job-stream";

function describe(p: SealProgress): string {
  switch (p.phase) {
    case "repair":
      return `Completing an earlier block's leaf positions and tree: ${p.done} of ${p.total}`;
    case "collect":
      return "Locking the ledger and collecting the pending entries…";
    case "tree":
      return `Building the Merkle tree over ${p.total} entries…`;
    case "committed":
      return `Block ${p.total === 0 ? "" : `of ${p.total} entries `}committed; writing its leaf positions and tree…`;
    case "leaves":
      return `Writing leaf positions: ${p.done} of ${p.total}`;
    case "tiles":
      return `Writing tree tiles: ${p.done}`;
    case "done":
      return `Sealed a block of ${p.total} entries.`;
  }
}

/**
 * Seals the pending entries into the next block now (`sealPendingEntries`), telling each phase.
 * Safe alongside the seal loop: two sealers make one block. Returns the block, or null when
 * nothing was pending.
 */
export async function sealNow(ledger: LedgerContext, progress: ProgressReporter): Promise<BlockHeader | null> {
  const block = await sealPendingEntries(ledger, { onProgress: (p) => progress(describe(p), { phase: p.phase, done: p.done, total: p.total }) });
  if (block) progress(`Sealed block ${block.height}: ${block.entryCount} entries, root ${block.root}.`);
  else progress("Nothing is pending: no block was sealed (a block is never empty).");
  return block;
}

/** The JSON form of what `sealNow` returns. */
export function serializeSealResult(block: BlockHeader | null) {
  return { block: block ? { ...block, sealedAt: block.sealedAt.toISOString() } : null };
}
