import { existsSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql, type SQL } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { acquireDataDirLock } from "./data-dir-lock";
import * as schema from "./schema";

/** Advisory lock key held while migrating, so that concurrent starts migrate once. */
const MIGRATION_LOCK_KEY = 0x5ea1b00c;

/** The application_name of this process's pooled PostgreSQL connections, by which `sealbook_db_connections` finds them. */
export const POOL_APPLICATION_NAME = `sealbook-${process.pid}`;

/** The drizzle database, whichever driver is behind it. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

/**
 * The driver's own client behind a drizzle instance, for what drizzle does not offer: prepared raw
 * queries (`queryRows`) and session-level locks (./job-lock.ts).
 */
/**
 * The driver behind a database. On PostgreSQL, `lookups` is a second pool whose connections plan
 * prepared statements once (`queryRows` with `{ plan: "generic" }`).
 */
export type DriverClient = { driver: "postgres"; sql: postgres.Sql; lookups?: postgres.Sql } | { driver: "pglite"; pglite: PGlite };

/**
 * Where a drizzle instance this module made keeps its driver client (transactions have none). A
 * property under a registered symbol, not a module-level map: `npm start` loads this module twice,
 * once in its own process code and once inside the Next.js server bundle, and a database opened by
 * one copy must be recognised by the other (the console's jobs take their locks from the bundle).
 */
const DRIVER_CLIENT = Symbol.for("sealbook.db.driverClient");

/** `db` with its driver client remembered, for `driverClientOf`. */
function withDriverClient(db: Database, client: DriverClient): Database {
  Object.defineProperty(db, DRIVER_CLIENT, { value: client, enumerable: false });
  return db;
}

/**
 * The driver client behind `db` when this module (in any bundle) opened it, or undefined for a
 * drizzle instance made elsewhere or a transaction (which runs on a connection of its own).
 */
export function driverClientOf(db: Database): DriverClient | undefined {
  return (db as Database & { [DRIVER_CLIENT]?: DriverClient })[DRIVER_CLIENT];
}

/** An open database with the driver it runs on. Close it when done. */
export interface DatabaseHandle {
  db: Database;
  driver: "pglite" | "postgres";
  /** The driver's own client behind `db`. */
  client: DriverClient;
  /** Where it lives, for messages: a data directory or a connection URL without its password. */
  location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A PostgreSQL URL. When set, postgres.js is used; otherwise PGlite. */
  url?: string;
  /** The PGlite data directory, or `memory://` for a throwaway database. */
  dataDir?: string;
  /** postgres.js pool size (default 10). */
  maxConnections?: number;
  /** A hot standby (DATABASE_READ_URL): read-only, so it is not migrated; it follows its primary. */
  readOnly?: boolean;
}

/** The committed, generated migrations. */
export function migrationsFolder(): string {
  const candidates = [path.join(process.cwd(), "db", "migrations"), path.resolve(import.meta.dirname ?? ".", "migrations")];
  const found = candidates.find((dir) => existsSync(path.join(dir, "meta", "_journal.json")));
  if (!found) throw new Error(`Cannot find db/migrations (looked in ${candidates.join(", ")}); run Sealbook from the project folder.`);
  return found;
}

/**
 * Opens the ledger database and brings its schema up to date.
 * With `url`, PostgreSQL through postgres.js; otherwise PGlite in `dataDir` (default `.sealbook/db`).
 * A PGlite directory can be open in one process only: a second opener gets an error naming the holder.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  if (options.url) return openPostgres(options.url, options.maxConnections ?? 10, options.readOnly ?? false);
  return openPglite(options.dataDir ?? path.join(".sealbook", "db"));
}

/**
 * Settings of every connection the ledger opens. JIT compilation is off: the ledger's queries are
 * short, and PostgreSQL decides to compile by a plan's estimated cost, which counts every partition
 * of a partitioned table, pruned or not. With 102 partitions, one page of the audit's reads spent
 * 7.5 s compiling 1,561 functions to run for 0.4 s (measured with EXPLAIN ANALYZE).
 */
const CONNECTION_SETTINGS = { application_name: POOL_APPLICATION_NAME, jit: "off" };

/**
 * The settings of the lookup pool: as above, and each prepared statement planned once, generically.
 * A lookup by key into partitioned tables (a proof: db/entry-keys.ts) is otherwise planned again at
 * every call, because a plan pruned to one partition looks cheaper than the generic plan, which
 * prunes when it starts; the planning cost more than the query (a proof took 1.32 ms with plans
 * made for each call, 0.74 ms with one plan, on the proofs benchmark's ledger).
 */
const LOOKUP_SETTINGS = { ...CONNECTION_SETTINGS, plan_cache_mode: "force_generic_plan" };

async function openPostgres(url: string, max: number, readOnly: boolean): Promise<DatabaseHandle> {
  const timeout = readOnly ? 3 : 30;
  const client = postgres(url, { max, onnotice: () => {}, connection: CONNECTION_SETTINGS, connect_timeout: timeout });
  // Its connections open on first use.
  const lookups = postgres(url, { max, onnotice: () => {}, connection: LOOKUP_SETTINGS, connect_timeout: timeout });
  const driverClient: DriverClient = { driver: "postgres", sql: client, lookups };
  const close = async () => {
    await Promise.all([client.end(), lookups.end()]);
  };
  const db = withDriverClient(drizzlePostgres(client, { schema }) as unknown as Database, driverClient);
  const safeUrl = url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
  if (readOnly) return { db, driver: "postgres", client: driverClient, location: safeUrl, close };
  // Several instances may start at once: one migrates while the others wait on the lock.
  const lockClient = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await lockClient`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migratePostgres(drizzlePostgres(lockClient), { migrationsFolder: migrationsFolder() });
    await lockClient`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await lockClient.end();
  }
  return { db, driver: "postgres", client: driverClient, location: safeUrl, close };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const inMemory = dataDir === "memory://" || dataDir === "";
  const release = inMemory ? () => {} : acquireDataDirLock(dataDir);
  try {
    const client = inMemory ? new PGlite() : new PGlite(dataDir);
    await client.waitReady;
    await migratePglite(drizzlePglite(client), { migrationsFolder: migrationsFolder() });
    const handle = wrapPglite(client, inMemory ? "memory://" : dataDir);
    return {
      ...handle,
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Wraps an open, migrated PGlite instance. Closing the handle leaves the instance open: its owner
 * closes it. PGlite runs one query or transaction at a time, so sharers cannot interleave.
 */
export function wrapPglite(client: PGlite, location: string): DatabaseHandle {
  const driverClient: DriverClient = { driver: "pglite", pglite: client };
  const db = withDriverClient(drizzlePglite(client, { schema }) as unknown as Database, driverClient);
  return { db, driver: "pglite", client: driverClient, location, close: async () => {} };
}

const dialect = new PgDialect();

/**
 * Runs a raw query and returns its rows, whichever driver is behind `db` (also a transaction).
 * On PostgreSQL it runs as a named prepared statement, cached per connection: drizzle's `execute`
 * does not prepare, and planning cost more than executing on the proof path (about 1 ms against
 * 0.2 ms per query in the proofs benchmark). PGlite, and a transaction (a few statements per
 * seal or batch, where planning does not count), answer through drizzle as usual. With
 * `{ plan: "generic" }`, it runs on the lookup pool, planned once (see LOOKUP_SETTINGS): for lookups
 * by key that name the partitions to read.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Database, query: SQL, options: { plan?: "generic" } = {}): Promise<T[]> {
  const client = driverClientOf(db);
  if (client?.driver === "postgres") {
    const { sql: text, params } = dialect.sqlToQuery(query);
    const pool = options.plan === "generic" && client.lookups ? client.lookups : client.sql;
    return (await pool.unsafe(text, params as postgres.ParameterOrJSON<never>[], { prepare: true })) as unknown as T[];
  }
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export { sql };
