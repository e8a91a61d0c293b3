import type { DatabaseHandle } from "../../db/client";
import { readHead } from "./head";
import type { SealbookConfig } from "../config";
import type { LedgerContext } from "./context";
import type { ReadRouting } from "./replicas";

/**
 * What one server process shares: the configuration, the open database and the ledger context.
 * The process's wiring (lib/server/runtime.ts, called from app/ and scripts/) opens it and hands
 * it down; nothing below the wiring looks it up.
 */
export interface Runtime {
  config: SealbookConfig;
  handle: DatabaseHandle;
  ledger: LedgerContext;
  /** Public reads over the hot standbys of DATABASE_READ_URL; absent without replicas. */
  reads?: ReadRouting;
}

/**
 * The public read `read` on a replica of `runtime`, or on the primary for what the replica lacks
 * (`complete` false) or when it fails (lib/ledger/replicas.ts); on the primary without replicas.
 */
export function readThrough<T>(runtime: Pick<Runtime, "ledger" | "reads">, read: (ledger: LedgerContext) => Promise<T>, complete?: (answer: T) => boolean): Promise<T> {
  return runtime.reads ? runtime.reads.read(read, complete) : read(runtime.ledger);
}

/**
 * The public read `read` of the ledger's newest state (its head, the newest blocks) on a replica,
 * accepted only when the replica has caught up with the primary's head as it was when asked
 * (`reaches(answer, primaryHeight)`); otherwise the primary answers. A replica that trails by a seal
 * would show an older head and a shorter list of blocks, which a watchdog comparing the two takes
 * for blocks hidden. Costs one index lookup on the primary, next to the read the replica takes.
 */
export async function readNewest<T>(runtime: Pick<Runtime, "ledger" | "reads">, read: (ledger: LedgerContext) => Promise<T>, reaches: (answer: T, primaryHeight: number) => boolean): Promise<T> {
  if (!runtime.reads) return read(runtime.ledger);
  const { height } = await readHead(runtime.ledger.db, runtime.ledger.genesisRoot);
  return runtime.reads.read(read, (answer) => reaches(answer, height));
}
