import { z } from "zod";
import { adminRoute, publicAdminRoute } from "@/lib/server/admin-gates";
import { readJsonBody } from "@/lib/admin/http/body";
import { clearedSessionCookie, readSessionToken, requireCookieTransport, sessionCookie } from "@/lib/admin/http/cookies";
import { endSession } from "@/lib/admin/sessions";
import { signIn, signOut, SignInThrottledError } from "@/lib/admin/sign-in";
import { ROLE_PERMISSIONS } from "@/lib/admin/roles";
import { problemResponse } from "@/lib/http/problem";
import { json } from "@/lib/http/request";

export const dynamic = "force-dynamic";

/**
 * Signs in: `{"email", "password"}` → 200 with the session cookie, 401 for a wrong email or
 * password, 429 with Retry-After when throttled. One of the two admin endpoints open without a session (the other creates the first account through the setup link).
 */
export const POST = publicAdminRoute(async ({ request, runtime, settings, client, token: previous }) => {
  requireCookieTransport(request, settings.secureCookies);
  const body = await readJsonBody(request, z.object({ email: z.string().max(320), password: z.string().max(1024) }), 4 * 1024);
  const now = runtime.ledger.now();
  try {
    const { user, token, expiresAt } = await signIn(runtime.ledger.db, body, client, now, settings);
    // A new sign-in replaces the browser's previous session rather than leaving it alive beside the new one.
    if (previous) await endSession(runtime.ledger.db, previous);
    return json(
      { email: user.email, role: user.role, permissions: ROLE_PERMISSIONS[user.role], expiresAt: expiresAt.toISOString() },
      { headers: { "set-cookie": sessionCookie(token, expiresAt, now, settings.secureCookies) } },
    );
  } catch (error) {
    if (error instanceof SignInThrottledError) return problemResponse(error, { "retry-after": String(error.retryAfterSeconds) });
    throw error;
  }
});

/** The signed-in admin: email, role, what the role may do, and when the session ends. */
export const GET = adminRoute("read", async ({ session }) =>
  json({
    email: session.email,
    role: session.role,
    permissions: ROLE_PERMISSIONS[session.role],
    expiresAt: session.expiresAt.toISOString(),
    idleExpiresAt: session.idleExpiresAt.toISOString(),
  }),
);

/** Signs out: ends the session and clears the cookie. */
export const DELETE = adminRoute("read", async ({ request, runtime, session, client, settings }) => {
  const token = readSessionToken(request.headers.get("cookie"), settings.secureCookies);
  if (token) await signOut(runtime.ledger.db, session, token, client, runtime.ledger.now());
  return new Response(null, { status: 204, headers: { "set-cookie": clearedSessionCookie(settings.secureCookies), "cache-control": "no-store" } });
});
