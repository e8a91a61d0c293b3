import type { Database } from "../../db/client";
import { ProtocolError } from "../protocol/errors";
import { writeAdminLog, type ClientInfo } from "./admin-log";
import { verifyPassword } from "./passwords";
import { createSession, deleteEndedSessions, endSession, type AdminSession, type SessionTiming } from "./sessions";
import { withAttemptLock } from "./attempt-lock";
import { signInThrottle, type Throttled, type ThrottleLimits } from "./throttle";
import { findAdminUser, normalizeEmail, toAdminUser, type AdminUser } from "./users";

const SCOPE_WORDS: Record<Throttled["scope"], string> = {
  pair: "for this account",
  account: "for this account from addresses it never signed in from",
  address: "from your address",
};

/** Thrown for a throttled sign-in: a ProtocolError `rate_limited` that says when to try again. */
export class SignInThrottledError extends ProtocolError {
  readonly retryAfterSeconds: number;
  constructor(scope: Throttled["scope"], retryAfterSeconds: number) {
    super(
      "rate_limited",
      `Too many failed sign-ins ${SCOPE_WORDS[scope]}. Try again in ${retryAfterSeconds} seconds.`,
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
  // Count, check and log as one step per account and address, so that a parallel burst is heard in turn.
  const session = await withAttemptLock([`sign-in:account:${email}`, `sign-in:address:${client.ip ?? ""}`], async () => {
    const throttled = await signInThrottle(db, { email, ip: client.ip }, now, settings);
    if (throttled) throw new SignInThrottledError(throttled.scope, throttled.retryAfterSeconds);
    const row = await findAdminUser(db, email);
    const usable = row !== null && row.disabledAt === null;
    const ok = (await verifyPassword(usable ? row.passwordHash : null, password)) && usable;
    if (!ok || row === null) {
      await logFailedSignIn(db, row, email, client, now);
      return null;
    }
    // Opened (and its sign-in logged) before the lock is let go: the next attempt of this pair counts from this success.
    return openAdminSession(db, toAdminUser(row), client, now, settings);
  });
  if (session === null) throw new ProtocolError("unauthorized", "The email address or the password is wrong.");
  return session;
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

async function logFailedSignIn(db: Database, row: Awaited<ReturnType<typeof findAdminUser>>, email: string, client: ClientInfo, now: Date): Promise<void> {
  await writeAdminLog(db, {
    at: now,
    actor: { userId: row?.id ?? null, email, role: row?.role ?? null },
    action: "sign_in",
    outcome: "failed",
    details: { reason: row === null ? "no such account" : row.disabledAt ? "account disabled" : "wrong password" },
    client,
  });
}

/** Signs out: ends the session of `token` and logs it. */
export async function signOut(db: Database, session: AdminSession, token: string, client: ClientInfo, now: Date): Promise<void> {
  await endSession(db, token);
  await writeAdminLog(db, { at: now, actor: { userId: session.userId, email: session.email, role: session.role }, action: "sign_out", outcome: "ok", client });
}
