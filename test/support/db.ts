import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "../../db/client";

/** The PostgreSQL server tests create their databases on. */
export const adminUrl = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let postgresReachable: Promise<string | null> | undefined;

/** Null when PostgreSQL answers, or the reason it does not. */
function checkPostgres(): Promise<string | null> {
  postgresReachable ??= (async () => {
    const sql = postgres(adminUrl, { max: 1, connect_timeout: 3, onnotice: () => {} });
    try {
      await sql`select 1`;
      return null;
    } catch (error) {
      return `PostgreSQL at ${adminUrl.replace(/\/\/[^@]*@/, "//")} is not reachable (${(error as Error).message})`;
    } finally {
      await sql.end({ timeout: 1 });
    }
  })();
  return postgresReachable;
}

export type Driver = "pglite" | "postgres";

/**
 * Why a driver's suite must be skipped, or null to run it. PostgreSQL is skipped with a printed
 * reason when it is down, unless SEALBOOK_REQUIRE_POSTGRES=1 (as in CI), which makes that a failure.
 */
export async function skipReason(driver: Driver): Promise<string | null> {
  if (driver === "pglite") return null;
  const reason = await checkPostgres();
  if (reason && process.env.SEALBOOK_REQUIRE_POSTGRES === "1") throw new Error(`${reason}, and SEALBOOK_REQUIRE_POSTGRES=1.`);
  if (reason) console.log(`# skipping the PostgreSQL run: ${reason}`);
  return reason;
}

/** A fresh, migrated database on `driver`, dropped (PostgreSQL) or discarded (PGlite) by `dispose`. */
export async function freshDatabase(driver: Driver): Promise<DatabaseHandle & { url?: string; dispose(): Promise<void> }> {
  if (driver === "pglite") {
    const handle = await openDatabase({ dataDir: "memory://" });
    return { ...handle, dispose: () => handle.close() };
  }
  const name = `sealbook_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.toString() });
  return {
    ...handle,
    url: url.toString(),
    dispose: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export const drivers: Driver[] = ["pglite", "postgres"];
