import type { PGlite } from "@electric-sql/pglite";
import { openDatabase, wrapPglite } from "../../db/client";
import { readConfig, type SealbookConfig } from "../config";
import { openLedger, type LedgerContext } from "../ledger/context";
import { readThrough, type Runtime } from "../ledger/runtime";
import { openReadReplicas } from "./read-replicas";

export type { Runtime };

const RUNTIME_KEY = Symbol.for("sealbook.runtime");
const SHARED_PGLITE_KEY = Symbol.for("sealbook.shared-pglite");
type RuntimeGlobal = typeof globalThis & { [RUNTIME_KEY]?: Promise<Runtime>; [SHARED_PGLITE_KEY]?: { client: PGlite; location: string } };

/**
 * Lends this process's open PGlite to code bundled apart from it. `scripts/start.ts` owns the
 * embedded database and serves Next.js in the same process; Next.js bundles its own copy of the
 * ledger code, which then wraps this one instance instead of opening the directory a second time
 * (PGlite allows one opener per data directory).
 */
export function sharePglite(client: PGlite, location: string): void {
  (globalThis as RuntimeGlobal)[SHARED_PGLITE_KEY] = { client, location };
}

/**
 * The process-wide runtime, opened on first use: around the shared PGlite when `scripts/start.ts`
 * lent one, otherwise from the environment (PostgreSQL with DATABASE_URL, or a PGlite directory).
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
  const shared = (globalThis as RuntimeGlobal)[SHARED_PGLITE_KEY];
  const handle =
    shared && !config.DATABASE_URL
      ? wrapPglite(shared.client, shared.location)
      : await openDatabase({ url: config.DATABASE_URL, dataDir: config.pgliteDir, maxConnections: config.DATABASE_POOL_SIZE });
  const ledger = await openLedger(handle, config.LEDGER_ID, undefined, { signingPurposes: config.X509_SIGNING_PURPOSES, publishDir: config.SEALBOOK_PUBLISH_DIR });
  return { config, handle, ledger, reads: await openReadReplicas(config, ledger) };
}

/** The public read `read` on a replica, or on the primary for what the replica lacks (`complete` false) or when it fails; see lib/ledger/replicas.ts. */
export async function readLedger<T>(read: (ledger: LedgerContext) => Promise<T>, complete?: (answer: T) => boolean): Promise<T> {
  return readThrough(await getRuntime(), read, complete);
}

/** The ledger context of this process. */
export async function getLedger(): Promise<LedgerContext> {
  return (await getRuntime()).ledger;
}
