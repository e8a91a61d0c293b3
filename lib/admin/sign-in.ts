import type { Database } from "../../db/client";
import { ProtocolError } from "../protocol/errors";
import { writeAdminLog, type ClientInfo } from "./admin-log";
import { verifyPassword } from "./passwords";
import { createSession, deleteEndedSessions, endSession, type AdminSession, type SessionTiming } from "./sessions";
import { signInThrottle, type ThrottleLimits } from "./throttle";
import { findAdminUser, normalizeEmail, toAdminUser, type AdminUser } from "./users";

/** Thrown for a throttled sign-in: a ProtocolError `rate_limited` that says when to try again. */
export class SignInThrottledError extends ProtocolError {
  readonly retryAfterSeconds: number;
  constructor(scope: "account" | "address", retryAfterSeconds: number) {
    super(
      "rate_limited",
      `Too many failed sign-ins ${scope === "account" ? "for this account" : "from your address"}. Try again in ${retryAfterSeconds} seconds.`,
      { retryAfterSeconds, scope },
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Signs an admin in: refuses at once when throttled, checks the password (argon2id; an unknown or
 * disabled account costs the same work and gets the same answer), logs the attempt either way, and
 * opens a session. Returns the session token for the cookie.
 * Throws SignInThrottledError (`rate_limited`), or ProtocolError `unauthorized` for a wrong email or password.
 */
export async function signIn(
  db: Database,
  input: { email: unknown; password: unknown },
  client: ClientInfo,
  now: Date,
  settings: SessionTiming & ThrottleLimits,
): Promise<{ user: AdminUser; token: string; expiresAt: Date }> {
  const email = normalizeEmail(input.email);
  const password = typeof input.password === "string" ? input.password : "";
  const throttled = await signInThrottle(db, { email, ip: client.ip }, now, settings);
  if (throttled) throw new SignInThrottledError(throttled.scope, throttled.retryAfterSeconds);

  const row = await findAdminUser(db, email);
  const usable = row !== null && row.disabledAt === null;
  const ok = (await verifyPassword(usable ? row.passwordHash : null, password)) && usable;
  if (!ok) {
    await writeAdminLog(db, {
      at: now,
      actor: { userId: row?.id ?? null, email, role: row?.role ?? null },
      action: "sign_in",
      outcome: "failed",
      details: { reason: row === null ? "no such account" : row.disabledAt ? "account disabled" : "wrong password" },
      client,
    });
    throw new ProtocolError("unauthorized", "The email address or the password is wrong.");
  }
  return openAdminSession(db, toAdminUser(row), client, now, settings);
}

/**
 * Opens a session for an account whose owner has just proven who they are (a right password, or
 * the setup link that created it), and logs the sign-in; `details` says how, when not by password.
 * Returns the session token for the cookie.
 */
export async function openAdminSession(
  db: Database,
  user: AdminUser,
  client: ClientInfo,
  now: Date,
  timing: SessionTiming,
  details?: Record<string, unknown>,
): Promise<{ user: AdminUser; token: string; expiresAt: Date }> {
  await deleteEndedSessions(db, now, timing);
  const { token, expiresAt } = await createSession(db, user.id, client, now, timing);
  await writeAdminLog(db, { at: now, actor: { userId: user.id, email: user.email, role: user.role }, action: "sign_in", outcome: "ok", details, client });
  return { user, token, expiresAt };
}

/** Signs out: ends the session of `token` and logs it. */
export async function signOut(db: Database, session: AdminSession, token: string, client: ClientInfo, now: Date): Promise<void> {
  await endSession(db, token);
  await writeAdminLog(db, { at: now, actor: { userId: session.userId, email: session.email, role: session.role }, action: "sign_out", outcome: "ok", client });
}
