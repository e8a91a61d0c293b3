import type { DatabaseHandle } from "../../db/client";
import type { SealbookConfig } from "../config";
import type { LedgerContext } from "./context";

/**
 * What one server process shares: the configuration, the open database and the ledger context.
 * The process's wiring (lib/server/runtime.ts, called from app/ and scripts/) opens it and hands
 * it down; nothing below the wiring looks it up.
 */
export interface Runtime {
  config: SealbookConfig;
  handle: DatabaseHandle;
  ledger: LedgerContext;
}
