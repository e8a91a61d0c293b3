import { z } from "zod";
import { completeFirstAdminSetup } from "@/lib/admin/first-admin-setup";
import { publicAdminRoute } from "@/lib/server/admin-gates";
import { readJsonBody } from "@/lib/admin/http/body";
import { requireCookieTransport, sessionCookie } from "@/lib/admin/http/cookies";
import { ROLE_PERMISSIONS } from "@/lib/admin/roles";
import { json } from "@/lib/http/request";

export const dynamic = "force-dynamic";

/**
 * Creates the first admin account with the setup link `npm start` printed: `{"token", "email",
 * "password"}` → 201 with the new admin's session cookie; 403 `forbidden` once the link is used,
 * expired, unknown, or the ledger has an account; 400 for a bad email or password (the link still
 * works). Open without a session, like signing in, and same-origin only.
 */
export const POST = publicAdminRoute(async ({ request, runtime, settings, client }) => {
  requireCookieTransport(request, settings.secureCookies);
  const body = await readJsonBody(request, z.object({ token: z.string().max(100), email: z.string().max(320), password: z.string().max(1024) }), 4 * 1024);
  const now = runtime.ledger.now();
  const { user, token, expiresAt } = await completeFirstAdminSetup(runtime.ledger.db, body, client, now, settings);
  return json(
    { email: user.email, role: user.role, permissions: ROLE_PERMISSIONS[user.role], expiresAt: expiresAt.toISOString() },
    { status: 201, headers: { "set-cookie": sessionCookie(token, expiresAt, now, settings.secureCookies) } },
  );
});
