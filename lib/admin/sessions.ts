/**
 * Admin sessions. The browser holds a random 256-bit token in an httpOnly cookie; the database holds
 * only its SHA-256, so neither a copy of the table nor a log line can be replayed as a session.
 * A session ends after `sessionIdleMs` without use, `sessionMaxMs` after sign-in, on sign-out, or
 * when its account is disabled. Its role is read from the account on every request, so a role
 * change applies at once.
 */
import { createHash, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import type { AdminRole } from "./roles";

/** A live session, as a request sees it. */
export interface AdminSession {
  userId: number;
  email: string;
  role: AdminRole;
  createdAt: Date;
  /** When the session ends however it is used. */
  expiresAt: Date;
  /** When it ends unless it is used before. */
  idleExpiresAt: Date;
}

export interface SessionTiming {
  sessionIdleMs: number;
  sessionMaxMs: number;
}

/** `last_used_at` is written at most this often: a page and its API calls need not each write a row. */
const TOUCH_EVERY_MS = 60_000;

function tokenHash(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/** Opens a session for `userId`; returns the token for the cookie (never stored) and when it ends at the latest. */
export async function createSession(
  db: Database,
  userId: number,
  client: { ip: string | null; userAgent: string | null },
  now: Date,
  timing: SessionTiming,
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + timing.sessionMaxMs);
  await db.execute(
    sql`insert into admin_sessions (token_hash, user_id, created_at, last_used_at, expires_at, ip, user_agent)
        values (${tokenHash(token)}, ${userId}, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz,
                ${expiresAt.toISOString()}::timestamptz, ${client.ip}, ${client.userAgent?.slice(0, 500) ?? null})`,
  );
  return { token, expiresAt };
}

/**
 * The live session of a cookie token, or null when there is none: unknown, ended, idle too long,
 * past its end, or of a disabled account (an ended session's row is deleted). Using a session keeps
 * it alive for another idle period, up to its end.
 */
export async function resolveSession(db: Database, token: string | null, now: Date, timing: SessionTiming): Promise<AdminSession | null> {
  if (!token || token.length > 100) return null;
  const hashed = tokenHash(token);
  const [row] = await queryRows<{
    user_id: number;
    email: string;
    role: AdminRole;
    disabled_at: Date | string | null;
    created_at: Date | string;
    last_used_at: Date | string;
    expires_at: Date | string;
  }>(
    db,
    sql`select s.user_id, u.email, u.role, u.disabled_at, s.created_at, s.last_used_at, s.expires_at
        from admin_sessions s join admin_users u on u.id = s.user_id where s.token_hash = ${hashed}`,
  );
  if (!row) return null;
  const lastUsedAt = new Date(row.last_used_at);
  const expiresAt = new Date(row.expires_at);
  const idleEnd = new Date(lastUsedAt.getTime() + timing.sessionIdleMs);
  if (row.disabled_at !== null || now >= expiresAt || now >= idleEnd) {
    await db.execute(sql`delete from admin_sessions where token_hash = ${hashed}`);
    return null;
  }
  let usedAt = lastUsedAt;
  if (now.getTime() - lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await db.execute(sql`update admin_sessions set last_used_at = ${now.toISOString()}::timestamptz where token_hash = ${hashed}`);
    usedAt = now;
  }
  return {
    userId: Number(row.user_id),
    email: row.email,
    role: row.role,
    createdAt: new Date(row.created_at),
    expiresAt,
    idleExpiresAt: new Date(Math.min(expiresAt.getTime(), usedAt.getTime() + timing.sessionIdleMs)),
  };
}

/**
 * Ends every session of `userId`, but the one of `keepToken` when given (after a password change,
 * the session that changed it); returns how many ended.
 */
export async function endUserSessions(db: Database, userId: number, keepToken?: string): Promise<number> {
  const keep = keepToken === undefined ? sql`` : sql`and token_hash <> ${tokenHash(keepToken)}`;
  const rows = await queryRows<{ n: number }>(
    db,
    sql`with ended as (delete from admin_sessions where user_id = ${userId} ${keep} returning 1)
        select count(*)::int as n from ended`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Ends the session of a cookie token (sign-out). */
export async function endSession(db: Database, token: string): Promise<void> {
  await db.execute(sql`delete from admin_sessions where token_hash = ${tokenHash(token)}`);
}

/** Deletes the rows of sessions that have ended, idle or past their end; returns how many. */
export async function deleteEndedSessions(db: Database, now: Date, timing: SessionTiming): Promise<number> {
  const idleSince = new Date(now.getTime() - timing.sessionIdleMs);
  const rows = await queryRows(
    db,
    sql`delete from admin_sessions where expires_at <= ${now.toISOString()}::timestamptz or last_used_at <= ${idleSince.toISOString()}::timestamptz
        returning user_id`,
  );
  return rows.length;
}
