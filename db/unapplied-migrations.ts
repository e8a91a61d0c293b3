import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { migrationsFolder, queryRows, type Database } from "./client";

/** The committed migrations (db/migrations) that the database has not applied, by tag. */
export async function unappliedMigrations(db: Database): Promise<string[]> {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder(), "meta", "_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
  const rows = await queryRows<{ created_at: string | number }>(db, sql`select created_at from drizzle.__drizzle_migrations`).catch(() => []);
  const applied = new Set(rows.map((r) => Number(r.created_at)));
  return journal.entries.filter((e) => !applied.has(e.when)).map((e) => e.tag);
}
