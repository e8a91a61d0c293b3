import type { LedgerContext } from "../../ledger/context";
import { tryJobLock, type JobLock } from "../../../db/job-lock";

/** The anchoring lock, held until released. */
export type AnchorLock = JobLock;

/**
 * Takes the anchoring lock without waiting: only one process (and one job in it) anchors a ledger
 * at a time. Returns null when another holder has it. It is the "anchor" job lock of
 * `db/job-lock.ts`: a session-level PostgreSQL advisory lock, freed if the process dies.
 */
export function tryLockAnchoring(ctx: LedgerContext): Promise<AnchorLock | null> {
  return tryJobLock(ctx, "anchor");
}
