/** Reads through the read replicas that more than one public surface needs (the API and the portal's pages). */
import type { LedgerContext } from "./context";
import { hasDerivedData } from "./derived";
import { getBlock, type BlockSummary } from "./reads";
import { readThrough, type Runtime } from "./runtime";

/**
 * A sealed block with the database (`ledger`) to list its entries from. A replica answers only when
 * it has the block with its leaf positions written (a later transaction than the seal), so that a
 * listing never answers 503 "being written" on a replica where the primary would answer; `block`
 * is null only when the primary does not have it either.
 */
export async function readBlockWithLeaves(runtime: Pick<Runtime, "ledger" | "reads">, height: number): Promise<{ ledger: LedgerContext; block: BlockSummary | null }> {
  const found = await readThrough(
    runtime,
    async (ledger) => {
      const [block, derived] = await Promise.all([getBlock(ledger, height), hasDerivedData(ledger.db, height)]);
      return { ledger, block, derived };
    },
    (answer) => answer.block !== null && answer.derived,
  );
  return { ledger: found.ledger, block: found.block };
}
