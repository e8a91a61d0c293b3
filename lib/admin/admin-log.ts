/**
 * The admin log: every admin action, who did it, when, from where, and how it ended. The table is
 * append-only (migration 0005 refuses UPDATE, DELETE and TRUNCATE). Failed sign-ins are written here
 * too; the sign-in throttle counts them (throttle.ts).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import type { AdminRole } from "./roles";

export type AdminAction =
  | "sign_in"
  | "sign_out"
  | "access_denied"
  | "seal"
  | "anchor"
  | "audit"
  | "ledger.repair"
  | "signer.register"
  | "signer.update"
  | "signer.revoke"
  | "certification_center.trust"
  | "certification_center.distrust"
  | "certification_center.revoke_signers"
  | "user.create"
  | "user.disable"
  | "user.password"
  | "evidence";

export type AdminOutcome = "ok" | "denied" | "failed";

/** Who acted: a signed-in account, or only the email typed at sign-in. */
export interface AdminActor {
  userId: number | null;
  email: string | null;
  role: AdminRole | null;
}

/** Where a request came from. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface AdminLogInput {
  at: Date;
  actor: AdminActor;
  action: AdminAction;
  target?: string | null;
  outcome: AdminOutcome;
  details?: Record<string, unknown>;
  client: ClientInfo;
}

export interface AdminLogEntry {
  id: number;
  at: Date;
  userId: number | null;
  email: string | null;
  role: AdminRole | null;
  action: AdminAction;
  target: string | null;
  outcome: AdminOutcome;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

/** Appends one entry to the admin log. */
export async function writeAdminLog(db: Database, entry: AdminLogInput): Promise<void> {
  await db.execute(
    sql`insert into admin_log (at, user_id, email, role, action, target, outcome, details, ip, user_agent)
        values (${entry.at.toISOString()}::timestamptz, ${entry.actor.userId}, ${entry.actor.email}, ${entry.actor.role}, ${entry.action},
                ${entry.target ?? null}, ${entry.outcome}, ${JSON.stringify(entry.details ?? {})}::jsonb, ${entry.client.ip},
                ${entry.client.userAgent?.slice(0, 500) ?? null})`,
  );
}

type LogRow = {
  id: string | number;
  at: Date | string;
  user_id: number | null;
  email: string | null;
  role: AdminRole | null;
  action: AdminAction;
  target: string | null;
  outcome: AdminOutcome;
  details: Record<string, unknown> | string;
  ip: string | null;
  user_agent: string | null;
};

/** The newest entries, newest first; `beforeId` continues below an earlier page. */
export async function listAdminLog(db: Database, options: { beforeId?: number; limit?: number } = {}): Promise<AdminLogEntry[]> {
  const limit = Math.min(Math.max(options.limit ?? 100, 1), 500);
  const rows = await queryRows<LogRow>(
    db,
    sql`select id, at, user_id, email, role, action, target, outcome, details, ip, user_agent from admin_log
        ${options.beforeId === undefined ? sql`` : sql`where id < ${options.beforeId}`}
        order by id desc limit ${limit}`,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at),
    userId: r.user_id === null ? null : Number(r.user_id),
    email: r.email,
    role: r.role,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    details: typeof r.details === "string" ? (JSON.parse(r.details) as Record<string, unknown>) : r.details,
    ip: r.ip,
    userAgent: r.user_agent,
  }));
}
