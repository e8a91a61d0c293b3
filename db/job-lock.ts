/**
 * Job locks: one process at a time runs a background job (sealing, anchoring, the audit) for a
 * ledger. Driver-specific, so it lives with the database client; the ledger and the chain take and
 * release locks without knowing the driver.
 */
import { ProtocolError } from "../lib/protocol/errors";
import { driverClientOf, type Database } from "./client";

/** The background jobs of which exactly one instance may run at a time, with their advisory lock keys. */
export const JOB_LOCK_KEYS = {
  seal: 0x5ea15ea1,
  anchor: 0x5ea1a4c0,
  /** A full audit reads every entry: one at a time per ledger (console and CLI alike). */
  audit: 0x5ea1a0d1,
} as const;

export type JobName = keyof typeof JOB_LOCK_KEYS;

/** A held job lock. */
export interface JobLock {
  release(): Promise<void>;
}

/** Clients of this process holding each job's lock, so that two loops in one process also exclude each other. */
const heldInProcess = new Map<JobName, WeakSet<object>>();

/**
 * Takes the lock of `job` without waiting: exactly one process runs that job for a ledger at a
 * time, however many web instances run. Returns null when another holder has it.
 *
 * On PostgreSQL it is a session-level `pg_try_advisory_lock` on a connection reserved from the pool
 * for as long as the lock is held: if the process dies, PostgreSQL ends the session and frees the
 * lock, so a crash never leaves the job stopped. PGlite has one session and one process: the same
 * statement runs there, and the in-process guard does the excluding.
 */
export async function tryJobLock(ctx: { db: Database }, job: JobName): Promise<JobLock | null> {
  const driverClient = driverClientOf(ctx.db);
  if (!driverClient) throw new Error(`A job lock (${job}) needs a database opened by db/client.ts (openDatabase or wrapPglite), not a transaction or another drizzle instance.`);
  const held = heldInProcess.get(job) ?? new WeakSet<object>();
  heldInProcess.set(job, held);
  const client = driverClient.driver === "postgres" ? driverClient.sql : driverClient.pglite;
  if (held.has(client)) return null;
  held.add(client);
  const key = JOB_LOCK_KEYS[job];
  const statement = `select pg_try_advisory_lock(${key}) as locked`;
  const unlock = `select pg_advisory_unlock(${key})`;
  try {
    if (driverClient.driver === "postgres") {
      const session = await driverClient.sql.reserve();
      const [row] = await session.unsafe<{ locked: boolean }[]>(statement);
      if (!row?.locked) {
        session.release();
        held.delete(client);
        return null;
      }
      return {
        release: async () => {
          try {
            await session.unsafe(unlock);
          } finally {
            session.release();
            held.delete(client);
          }
        },
      };
    }
    const { pglite } = driverClient;
    const result = await pglite.query<{ locked: boolean }>(statement);
    if (!result.rows[0]?.locked) {
      held.delete(client);
      return null;
    }
    return {
      release: async () => {
        try {
          if (!pglite.closed) await pglite.query(unlock);
        } finally {
          held.delete(client);
        }
      },
    };
  } catch (error) {
    held.delete(client);
    throw error;
  }
}

/**
 * Takes the audit's lock, for the console's audit job and `sealbook audit` alike.
 * Throws ProtocolError `conflict` (409) when another audit of this ledger is running.
 */
export async function takeAuditLock(ctx: { db: Database }): Promise<JobLock> {
  const lock = await tryJobLock(ctx, "audit");
  if (!lock) {
    throw new ProtocolError("conflict", "Another audit of this ledger is running (from the console or `sealbook audit`); wait for it to finish, then start this one.");
  }
  return lock;
}
