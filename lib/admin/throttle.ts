/**
 * Sign-in throttling, counted from the sign-ins in the admin log, so that every instance behind a
 * load balancer sees the same count. Three limits, so that a stranger cannot lock an admin out:
 *
 * - **Per account and address**: after `maxFailuresPerPair` failures of one account from one
 *   address (within the window, since that pair last signed in), each further attempt waits a
 *   growing delay after the last failure: 1 minute, then 2, 4, 8, up to the window.
 * - **Per account**, from addresses it never signed in from: `maxFailuresPerAccount` failures
 *   from anywhere within the window (a guesser spread over many addresses).
 * - **Per address**, for accounts that never signed in from it: `maxFailuresPerAddress` failures
 *   within the window, whichever accounts they named (one address trying many accounts).
 *
 * An address an account signed in from before is not held by the last two, so neither guesses from
 * elsewhere nor a busy shared address (a proxy with TRUSTED_PROXY_HOPS=0) keep the owner out.
 * A throttled attempt is refused before the password is checked, and is not counted itself.
 * Attempts are serialized per account and address (`withAttemptLock`), so a parallel burst is
 * counted as it is heard.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";

export interface ThrottleLimits {
  maxFailuresPerPair: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  throttleWindowMs: number;
}

/** A refused attempt: which limit was reached and how long until the next attempt is heard. */
export interface Throttled {
  scope: "pair" | "account" | "address";
  retryAfterSeconds: number;
}

/** The first delay once the per-pair limit is reached; it doubles with each further failure. */
export const PAIR_DELAY_MS = 60_000;

async function failureTimes(db: Database, where: { email?: string; ip?: string | null }, since: Date): Promise<Date[]> {
  const byEmail = where.email === undefined ? sql`` : sql`and email = ${where.email}`;
  const byIp = where.ip === undefined ? sql`` : sql`and ip is not distinct from ${where.ip}`;
  // Per pair and per account, failures count since the last success of the same scope.
  const resetBySuccess =
    where.email === undefined
      ? sql``
      : sql`and at > coalesce((select max(at) from admin_log where action = 'sign_in' and outcome = 'ok' ${byEmail} ${byIp}), '-infinity'::timestamptz)`;
  const rows = await queryRows<{ at: Date | string }>(
    db,
    sql`select at from admin_log where action = 'sign_in' and outcome = 'failed' ${byEmail} ${byIp}
          and at > ${since.toISOString()}::timestamptz ${resetBySuccess}
        order by at`,
  );
  return rows.map((r) => new Date(r.at));
}

/** Whether `email` ever signed in from `ip`. */
async function signedInFrom(db: Database, email: string, ip: string | null): Promise<boolean> {
  if (ip === null) return false;
  const [row] = await queryRows<{ known: boolean }>(
    db,
    sql`select exists(select 1 from admin_log where action = 'sign_in' and outcome = 'ok' and email = ${email} and ip = ${ip}) as known`,
  );
  return row?.known === true;
}

/** Seconds until the attempt is heard when `failures` (oldest first) reach `limit` within the window; null when they do not. */
function windowWait(failures: Date[], limit: number, windowMs: number, now: Date): number | null {
  if (failures.length < limit) return null;
  // The attempt is heard again once all but limit-1 of these failures have left the window.
  const until = failures[failures.length - limit].getTime() + windowMs;
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

/** Seconds until the attempt is heard under the growing per-pair delay; null when it may go ahead. */
function growingWait(failures: Date[], limit: number, windowMs: number, now: Date): number | null {
  if (failures.length < limit) return null;
  const delay = Math.min(windowMs, PAIR_DELAY_MS * 2 ** (failures.length - limit));
  const until = failures[failures.length - 1].getTime() + delay;
  return until > now.getTime() ? Math.max(1, Math.ceil((until - now.getTime()) / 1000)) : null;
}

/** Whether a sign-in attempt for `email` from `ip` must be refused now, and for how long; null to go ahead. */
export async function signInThrottle(db: Database, attempt: { email: string; ip: string | null }, now: Date, limits: ThrottleLimits): Promise<Throttled | null> {
  const since = new Date(now.getTime() - limits.throttleWindowMs);
  const { email, ip } = attempt;
  const byPair = growingWait(await failureTimes(db, { email, ip }, since), limits.maxFailuresPerPair, limits.throttleWindowMs, now);
  if (byPair !== null) return { scope: "pair", retryAfterSeconds: byPair };
  if (await signedInFrom(db, email, ip)) return null;
  const byAccount = windowWait(await failureTimes(db, { email }, since), limits.maxFailuresPerAccount, limits.throttleWindowMs, now);
  const byAddress = ip === null ? null : windowWait(await failureTimes(db, { ip }, since), limits.maxFailuresPerAddress, limits.throttleWindowMs, now);
  if (byAccount === null && byAddress === null) return null;
  return (byAddress ?? 0) > (byAccount ?? 0) ? { scope: "address", retryAfterSeconds: byAddress! } : { scope: "account", retryAfterSeconds: byAccount! };
}

/**
 * How many times, within the window and since the account last signed in, someone in a session of
 * `userId` gave a wrong current password to change it. A session that keeps guessing is likely
 * not its owner's: the password route signs the account out everywhere when this reaches the
 * per-pair sign-in limit.
 */
export async function wrongPasswordChangeAttempts(db: Database, userId: number, now: Date, windowMs: number): Promise<number> {
  const since = new Date(now.getTime() - windowMs);
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as n from admin_log
        where action = 'user.password' and outcome = 'failed' and user_id = ${userId}
          and (details ->> 'wrongCurrentPassword') = 'true' and at > ${since.toISOString()}::timestamptz
          and at >= coalesce((select max(at) from admin_log where action = 'sign_in' and outcome = 'ok' and user_id = ${userId}), '-infinity'::timestamptz)`,
  );
  return Number(row?.n ?? 0);
}
