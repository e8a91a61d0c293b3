import type { DatabaseHandle } from "../../db/client";
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
