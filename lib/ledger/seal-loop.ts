import type { LedgerContext } from "./context";
import { tryJobLock, type JobLock } from "../../db/job-lock";
import { sealPendingEntries, type BlockHeader } from "./seal";

export interface SealLoop {
  /** Whether this process is the ledger's sealer now. */
  isSealer(): boolean;
  stop(): Promise<void>;
}

/**
 * Seals pending entries every `intervalSeconds`, in exactly one process per ledger: each tick, a
 * process that is not the sealer tries to take the seal job lock (so another takes over within a
 * tick when the sealer stops or dies); the sealer keeps it. A failed seal leaves the entries
 * pending for the next tick; nothing accepted is dropped.
 */
export function startSealLoop(
  ctx: LedgerContext,
  intervalSeconds: number,
  log: { sealed(block: BlockHeader): void; error(error: unknown): void; role?(sealer: boolean): void },
): SealLoop {
  let lock: JobLock | null = null;
  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      if (!lock) {
        lock = await tryJobLock(ctx, "seal");
        if (lock) log.role?.(true);
      }
      if (lock) {
        const block = await sealPendingEntries(ctx);
        if (block) log.sealed(block);
      }
    } catch (error) {
      log.error(error);
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalSeconds * 1000);
  void tick();
  return {
    isSealer: () => lock !== null,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      while (busy) await new Promise((r) => setTimeout(r, 20));
      await lock?.release();
      lock = null;
    },
  };
}
