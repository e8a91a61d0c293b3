/**
 * Liveness and readiness, for orchestrators: `/api/v1/health/live` says the process answers;
 * `/api/v1/health/ready` says it should get traffic: the database answers, every committed
 * migration is applied, and the process is neither starting nor shutting down (503 then). The
 * business checks (receipt promises, anchoring lag) stay in `/api/v1/health`.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { unappliedMigrations } from "../../db/unapplied-migrations";
import { maskUrlPasswords } from "../observability/redact";

/** Where the process is in its life. Kept on `globalThis`, so Next.js's copy of this module sees the state `npm start` set. */
export type Lifecycle = "starting" | "serving" | "stopping";

const LIFECYCLE_KEY = Symbol.for("sealbook.lifecycle");
type LifecycleGlobal = typeof globalThis & { [LIFECYCLE_KEY]?: Lifecycle };

/** Sets the process's lifecycle state. */
export function setLifecycle(state: Lifecycle): void {
  (globalThis as LifecycleGlobal)[LIFECYCLE_KEY] = state;
}

/** The process's lifecycle state; `serving` when nobody set one (`next dev`, tests). */
export function lifecycle(): Lifecycle {
  return (globalThis as LifecycleGlobal)[LIFECYCLE_KEY] ?? "serving";
}

export interface Readiness {
  status: "ready" | "not_ready";
  lifecycle: Lifecycle;
  checks: { database: string; migrations: string };
}

/** A liveness answer: 200 whenever the process can run this code. */
export function liveResponse(): Response {
  return Response.json({ status: "live" }, { headers: { "cache-control": "no-store" } });
}

/**
 * The readiness answer: 200 `{status: "ready", lifecycle, checks}`; otherwise 503, a problem
 * document with code `unavailable` that carries the same object in `readiness`.
 */
export async function readyResponse(db: (() => Promise<Database>) | null): Promise<Response> {
  const readiness = await checkReadiness(db);
  if (readiness.status === "ready") return Response.json(readiness, { headers: { "cache-control": "no-store" } });
  const detail = readiness.lifecycle !== "serving" ? `The process is ${readiness.lifecycle}.` : `Database: ${readiness.checks.database}; migrations: ${readiness.checks.migrations}.`;
  const problem = { type: "/api#problem-unavailable", title: "Not ready", status: 503, detail, code: "unavailable", readiness };
  return new Response(JSON.stringify(problem), { status: 503, headers: { "content-type": "application/problem+json", "cache-control": "no-store", "retry-after": "5" } });
}

/** Checks readiness; never throws (a failure is a `not_ready` check). `db` null: the database is not open yet. */
export async function checkReadiness(db: (() => Promise<Database>) | null): Promise<Readiness> {
  const state = lifecycle();
  const checks = { database: "not checked", migrations: "not checked" };
  if (state !== "serving") {
    checks.database = state === "starting" ? "not checked: the process is starting" : "not checked: the process is shutting down";
    return { status: "not_ready", lifecycle: state, checks };
  }
  if (!db) return { status: "not_ready", lifecycle: state, checks: { ...checks, database: "not open yet" } };
  try {
    const database = await db();
    await queryRows(database, sql`select 1 as one`);
    checks.database = "answers";
    const pending = await unappliedMigrations(database);
    checks.migrations = pending.length === 0 ? "all applied" : `not applied: ${pending.join(", ")}`;
    return { status: pending.length === 0 ? "ready" : "not_ready", lifecycle: state, checks };
  } catch (error) {
    checks.database = `does not answer: ${error instanceof Error ? maskUrlPasswords(error.message) : String(error)}`;
    return { status: "not_ready", lifecycle: state, checks };
  }
}
