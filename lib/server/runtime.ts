import { openDatabase, type DatabaseHandle } from "../../db/client";
import { readConfig, type SealbookConfig } from "../config";
import { openLedger, type LedgerContext } from "../ledger/context";

/** What one server process shares: the configuration, the open database and the ledger context. */
export interface Runtime {
  config: SealbookConfig;
  handle: DatabaseHandle;
  ledger: LedgerContext;
}

const RUNTIME_KEY = Symbol.for("sealbook.runtime");
type RuntimeGlobal = typeof globalThis & { [RUNTIME_KEY]?: Promise<Runtime> };

/**
 * The process-wide runtime. `scripts/start.ts` installs it before Next.js serves (so the route
 * handlers, the sealing timer and the anchoring job share one PGlite); under a bare `next start`
 * it is opened from the environment on first use.
 */
export function getRuntime(): Promise<Runtime> {
  const g = globalThis as RuntimeGlobal;
  g[RUNTIME_KEY] ??= openRuntime();
  return g[RUNTIME_KEY];
}

/** Installs an already open runtime as the process-wide one. */
export function installRuntime(runtime: Runtime): void {
  (globalThis as RuntimeGlobal)[RUNTIME_KEY] = Promise.resolve(runtime);
}

/** Opens the database and ledger named by the environment. */
export async function openRuntime(config: SealbookConfig = readConfig()): Promise<Runtime> {
  const handle = await openDatabase({ url: config.DATABASE_URL, dataDir: config.pgliteDir });
  const ledger = await openLedger(handle, config.LEDGER_ID);
  return { config, handle, ledger };
}

/** The ledger context of this process. */
export async function getLedger(): Promise<LedgerContext> {
  return (await getRuntime()).ledger;
}
