/**
 * Sign-in throttling, counted from the failed sign-ins in the admin log, so that every instance
 * behind a load balancer sees the same count. Per account: `maxFailuresPerAccount` failures within
 * the window since the account's last successful sign-in. Per client address: `maxFailuresPerAddress`
 * failures within the window, whichever accounts they named (a success does not reset it, or an
 * attacker with one account could reset it at will). A throttled attempt is refused before the
 * password is checked, and is not counted itself, so the wait it is told is the wait it gets.
 * Concurrent attempts may overshoot a limit by the number in flight; the next ones are refused.
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";

export interface ThrottleLimits {
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  throttleWindowMs: number;
}

/** A refused attempt: which limit was reached and how long until the next attempt is heard. */
export interface Throttled {
  scope: "account" | "address";
  retryAfterSeconds: number;
}

async function failureTimes(db: Database, by: "email" | "ip", value: string, since: Date): Promise<Date[]> {
  const resetBySuccess =
    by === "email"
      ? sql`and at > coalesce((select max(at) from admin_log where action = 'sign_in' and outcome = 'ok' and email = ${value}), '-infinity'::timestamptz)`
      : sql``;
  const column = by === "email" ? sql`email` : sql`ip`;
  const rows = await queryRows<{ at: Date | string }>(
    db,
    sql`select at from admin_log where action = 'sign_in' and outcome = 'failed' and ${column} = ${value}
          and at > ${since.toISOString()}::timestamptz ${resetBySuccess}
        order by at`,
  );
  return rows.map((r) => new Date(r.at));
}

function wait(failures: Date[], limit: number, windowMs: number, now: Date): number | null {
  if (failures.length < limit) return null;
  // The attempt is heard again once all but limit-1 of these failures have left the window.
  const until = failures[failures.length - limit].getTime() + windowMs;
  return Math.max(1, Math.ceil((until - now.getTime()) / 1000));
}

/** Whether a sign-in attempt for `email` from `ip` must be refused now, and for how long; null to go ahead. */
export async function signInThrottle(db: Database, attempt: { email: string; ip: string | null }, now: Date, limits: ThrottleLimits): Promise<Throttled | null> {
  const since = new Date(now.getTime() - limits.throttleWindowMs);
  const byAccount = wait(await failureTimes(db, "email", attempt.email, since), limits.maxFailuresPerAccount, limits.throttleWindowMs, now);
  const byAddress = attempt.ip === null ? null : wait(await failureTimes(db, "ip", attempt.ip, since), limits.maxFailuresPerAddress, limits.throttleWindowMs, now);
  if (byAccount === null && byAddress === null) return null;
  return (byAddress ?? 0) > (byAccount ?? 0) ? { scope: "address", retryAfterSeconds: byAddress! } : { scope: "account", retryAfterSeconds: byAccount! };
}

/**
 * How many times, within the window and since the account last signed in, someone in a session of
 * `userId` gave a wrong current password to change it. A session that keeps guessing is likely
 * not its owner's: the password route signs the account out everywhere when this reaches the
 * per-account sign-in limit.
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
