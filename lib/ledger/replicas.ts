/**
 * Public reads from hot standbys (DATABASE_READ_URL). Ingest, sealing, anchoring and the console
 * keep the primary; the public reads (blocks, entries, proofs, export, pages) ask a replica first.
 * A replica only trails the primary, it never disagrees with it (a block or a sealed entry is
 * immutable once written), so a lagging replica can only lack something: whatever it lacks (an
 * entry it does not know, or knows only as pending; a block it has not replayed) is looked up on
 * the primary, so an answer is never "unknown" while the primary knows better. Reads of the newest
 * state (the head, the newest blocks) are taken only from a replica that has the primary's head
 * (readNewest, lib/ledger/runtime.ts). A replica that does not answer is skipped for a while, with
 * a logged warning, and the primary answers instead.
 */
import { sql } from "drizzle-orm";
import { queryRows, type DatabaseHandle } from "../../db/client";
import type { LedgerContext } from "./context";

/** How long a replica that failed is left out before it is tried again. */
const RETRY_AFTER_MS = 10_000;

interface Replica {
  name: string;
  handle: DatabaseHandle;
  ledger: LedgerContext;
  downUntil: number;
}

export interface ReplicaLag {
  replica: string;
  /** Seconds the replica's replay trails the primary (0 when it has replayed everything), or null when it does not answer. */
  lagSeconds: number | null;
  error: string | null;
}

/** Where public reads go: the replicas in turn, the primary for what they lack or when they are down. */
export interface ReadRouting {
  readonly primary: LedgerContext;
  readonly replicaNames: readonly string[];
  /**
   * Runs `read` on a replica, and again on the primary when the replica's answer is not
   * `complete` (it lacks something) or the replica fails. Without replicas, on the primary.
   */
  read<T>(read: (ledger: LedgerContext) => Promise<T>, complete?: (answer: T) => boolean): Promise<T>;
  /** Each replica's lag behind the primary (one query on each, and one on the primary). */
  lags(): Promise<ReplicaLag[]>;
  close(): Promise<void>;
}

/** Counts of where reads were answered: for tests and the benchmark. */
export interface ReadCounts {
  replica: number;
  primaryForMissing: number;
  primaryForFailure: number;
}

/**
 * Routes reads for `primary` over the open replica `handles` (opened with `readOnly`), logging a
 * warning through `warn` when a replica fails. The replicas share the primary's ledger identity.
 */
export function createReadRouting(primary: LedgerContext, handles: DatabaseHandle[], warn: (message: string, error: unknown) => void, counts?: ReadCounts): ReadRouting {
  const replicas: Replica[] = handles.map((handle) => ({ name: handle.location, handle, ledger: { ...primary, db: handle.db, driver: handle.driver }, downUntil: 0 }));
  let next = 0;
  const pick = (): Replica | null => {
    const now = Date.now();
    for (let i = 0; i < replicas.length; i++) {
      const replica = replicas[(next + i) % replicas.length];
      if (replica.downUntil <= now) {
        next = (next + i + 1) % replicas.length;
        return replica;
      }
    }
    return null;
  };
  return {
    primary,
    replicaNames: replicas.map((r) => r.name),
    async read(read, complete = () => true) {
      const replica = pick();
      if (replica) {
        try {
          const answer = await read(replica.ledger);
          if (complete(answer)) {
            if (counts) counts.replica++;
            return answer;
          }
          if (counts) counts.primaryForMissing++;
        } catch (error) {
          replica.downUntil = Date.now() + RETRY_AFTER_MS;
          if (counts) counts.primaryForFailure++;
          warn(`the read replica ${replica.name} failed; reading from the primary (the replica is tried again in ${RETRY_AFTER_MS / 1000} s)`, error);
        }
      }
      return read(primary);
    },
    async lags() {
      if (replicas.length === 0) return [];
      const [{ lsn }] = await queryRows<{ lsn: string }>(primary.db, sql`select pg_current_wal_lsn()::text as lsn`);
      return Promise.all(
        replicas.map(async (replica): Promise<ReplicaLag> => {
          try {
            const [row] = await queryRows<{ behind: string | number | null; since: string | number | null }>(
              replica.ledger.db,
              sql`select pg_wal_lsn_diff(${lsn}::pg_lsn, pg_last_wal_replay_lsn()) as behind,
                         extract(epoch from now() - pg_last_xact_replay_timestamp()) as since`,
            );
            // Caught up with the primary's position when asked: no lag, however long ago the last write was.
            const behind = Number(row.behind ?? 0);
            const lagSeconds = behind <= 0 ? 0 : Math.max(0, Number(row.since ?? 0));
            return { replica: replica.name, lagSeconds, error: null };
          } catch (error) {
            return { replica: replica.name, lagSeconds: null, error: (error as Error).message };
          }
        }),
      );
    },
    async close() {
      await Promise.all(replicas.map((r) => r.handle.close()));
    },
  };
}
