import { z } from "zod";
import { readJsonBody } from "@/lib/admin/http/body";
import { readSessionToken } from "@/lib/admin/http/cookies";
import { adminRoute } from "@/lib/admin/http/guard";
import { endOtherSessions } from "@/lib/admin/sessions";
import { changeAdminPassword } from "@/lib/admin/users";
import { json } from "@/lib/http/request";
import { ProtocolError } from "@/lib/protocol/errors";

export const dynamic = "force-dynamic";

/**
 * Changes the signed-in admin's own password: `{"currentPassword", "newPassword"}`. Every role may
 * change its own. The account's other sessions end (a password change is what one does when a
 * session may have leaked); this one stays. A wrong current password changes nothing and is logged.
 */
export const POST = adminRoute("read", async ({ request, session, ledger, settings, log }) => {
  const body = await readJsonBody(request, z.object({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) }), 4 * 1024);
  try {
    await changeAdminPassword(ledger.db, session.userId, { current: body.currentPassword, next: body.newPassword });
  } catch (error) {
    if (error instanceof ProtocolError) await log({ action: "user.password", target: session.email, outcome: "failed", details: { reason: error.message } });
    throw error;
  }
  const token = readSessionToken(request.headers.get("cookie"), settings.secureCookies);
  const endedSessions = token ? await endOtherSessions(ledger.db, session.userId, token) : 0;
  await log({ action: "user.password", target: session.email, details: { endedSessions } });
  return json({ changed: true, endedSessions });
});
