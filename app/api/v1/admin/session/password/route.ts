import { z } from "zod";
import { withAttemptLock } from "@/lib/admin/attempt-lock";
import { readJsonBody } from "@/lib/admin/http/body";
import { clearedSessionCookie, readSessionToken } from "@/lib/admin/http/cookies";
import { adminRoute } from "@/lib/server/admin-gates";
import { endUserSessions } from "@/lib/admin/sessions";
import { wrongPasswordChangeAttempts } from "@/lib/admin/throttle";
import { changeAdminPassword } from "@/lib/admin/users";
import { problemResponse } from "@/lib/http/problem";
import { json } from "@/lib/http/request";
import { ProtocolError } from "@/lib/protocol/errors";

export const dynamic = "force-dynamic";

/**
 * Changes the signed-in admin's own password: `{"currentPassword", "newPassword"}`. Every role may
 * change its own. The account's other sessions end (a password change is what one does when a
 * session may have leaked); this one stays. A wrong current password changes nothing and is
 * logged; as many wrong ones as the per-address sign-in limit allows (5 by default, within its window) sign
 * the account out everywhere, this session included, since a session that guesses is likely not
 * its owner's.
 */
export const POST = adminRoute("read", async ({ request, session, ledger, settings, log }) => {
  const body = await readJsonBody(request, z.object({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) }), 4 * 1024);
  const limit = settings.maxFailuresPerPair;
  const signOutEverywhere = async (misses: number) => {
    const ended = await endUserSessions(ledger.db, session.userId);
    await log({ action: "sign_out", target: session.email, details: { reason: `${misses} wrong current passwords on the password form`, endedSessions: ended } });
    return problemResponse(
      new ProtocolError("unauthorized", `${misses} wrong current passwords in a row: every session of this account was signed out. Sign in again with your password.`),
      { "set-cookie": clearedSessionCookie(settings.secureCookies) },
    );
  };
  // Count, check and log as one step per account: a parallel burst of guesses is heard in turn,
  // and those past the limit are refused before the password is hashed.
  return withAttemptLock([`password:${session.userId}`], async () => {
    const before = await wrongPasswordChangeAttempts(ledger.db, session.userId, ledger.now(), settings.throttleWindowMs);
    if (before >= limit) return signOutEverywhere(before);
    try {
      await changeAdminPassword(ledger.db, session.userId, { current: body.currentPassword, next: body.newPassword });
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      const wrongCurrentPassword = error.details.wrongCurrentPassword === true;
      await log({ action: "user.password", target: session.email, outcome: "failed", details: { reason: error.message, wrongCurrentPassword } });
      if (!wrongCurrentPassword || before + 1 < limit) throw error;
      return signOutEverywhere(before + 1);
    }
    const token = readSessionToken(request.headers.get("cookie"), settings.secureCookies);
    const endedSessions = token ? await endUserSessions(ledger.db, session.userId, token) : 0;
    await log({ action: "user.password", target: session.email, details: { endedSessions } });
    return json({ changed: true, endedSessions });
  });
});
