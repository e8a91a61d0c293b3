import type { PGlite } from "@electric-sql/pglite";
import type { Sql } from "postgres";
import type { LedgerContext } from "../ledger/context";

/** The PostgreSQL advisory lock key of the anchoring job ("5ea1anc0"-ish; distinct from the migration lock). */
const ANCHOR_LOCK_KEY = 0x5ea1a4c0;

/** Database clients of this process whose anchoring lock is held, so that two jobs in one process also exclude each other. */
const heldInProcess = new WeakSet<object>();

/** The anchoring lock, held until released. */
export interface AnchorLock {
  release(): Promise<void>;
}

/**
 * Takes the anchoring lock without waiting: only one process (and one job in it) anchors a ledger at a
 * time. Returns null when another holder has it.
 *
 * On PostgreSQL this is a session-level `pg_try_advisory_lock` on a connection reserved from the pool
 * for as long as the lock is held: if the process dies, PostgreSQL ends the session and frees the lock,
 * so a crash never leaves the ledger locked. The job's other queries use the pool as usual, and are
 * committed one by one, so the portal never waits on an anchoring pass. PGlite has one session and
 * lives in one process: the same statement runs on it, and the in-process guard does the excluding.
 */
export async function tryLockAnchoring(ctx: LedgerContext): Promise<AnchorLock | null> {
  const client = (ctx.db as unknown as { $client: object }).$client;
  if (heldInProcess.has(client)) return null;
  heldInProcess.add(client);
  const statement = `select pg_try_advisory_lock(${ANCHOR_LOCK_KEY}) as locked`;
  const unlock = `select pg_advisory_unlock(${ANCHOR_LOCK_KEY})`;
  try {
    if (ctx.driver === "postgres") {
      const session = await (client as Sql).reserve();
      const [row] = await session.unsafe<{ locked: boolean }[]>(statement);
      if (!row?.locked) {
        session.release();
        heldInProcess.delete(client);
        return null;
      }
      return {
        release: async () => {
          try {
            await session.unsafe(unlock);
          } finally {
            session.release();
            heldInProcess.delete(client);
          }
        },
      };
    }
    const pglite = client as PGlite;
    const result = await pglite.query<{ locked: boolean }>(statement);
    if (!result.rows[0]?.locked) {
      heldInProcess.delete(client);
      return null;
    }
    return {
      release: async () => {
        try {
          if (!pglite.closed) await pglite.query(unlock);
        } finally {
          heldInProcess.delete(client);
        }
      },
    };
  } catch (error) {
    heldInProcess.delete(client);
    throw error;
  }
}
