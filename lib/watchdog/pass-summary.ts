/** What one monitor pass looked at, shared by the pass (monitor.ts) and its block and receipt steps (monitor-blocks.ts, monitor-receipts.ts). */
export interface PassSummary {
  ledgerId: string | null;
  head: number;
  /** The registry's latest anchored height. */
  chainHeight: number;
  /** Blocks whose entry lists were recomputed in this pass (new and re-checked). */
  verifiedBlocks: number;
  verifiedEntries: number;
  /** New blocks left for the next pass (maxNewBlocks). */
  deferredBlocks: number;
  /** Blocks this watchdog has verified, in all. */
  knownBlocks: number;
  receipts: { checked: number; settled: number; notDue: number; ignored: number };
}
