/**
 * The session cookie: httpOnly (scripts cannot read it), SameSite=Lax (other sites' forms and
 * fetches do not carry it), Path=/, and with Secure cookies the `__Host-` prefix, which also
 * forbids a Domain attribute, so that a sibling subdomain cannot plant a session cookie. With Secure
 * cookies only the `__Host-` cookie is read.
 */
import { ProtocolError } from "../../protocol/errors";

export function sessionCookieName(secure: boolean): string {
  return secure ? "__Host-sealbook_admin" : "sealbook_admin";
}

/** The session token from a Cookie header, or null. */
export function readSessionToken(cookieHeader: string | null, secure: boolean): string | null {
  if (!cookieHeader) return null;
  const name = sessionCookieName(secure);
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

function attributes(secure: boolean): string {
  return `Path=/; HttpOnly; SameSite=Lax${secure ? "; Secure" : ""}`;
}

/** A Set-Cookie value carrying the session token until `expiresAt`. */
export function sessionCookie(token: string, expiresAt: Date, now: Date, secure: boolean): string {
  const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - now.getTime()) / 1000));
  return `${sessionCookieName(secure)}=${token}; ${attributes(secure)}; Max-Age=${maxAge}; Expires=${expiresAt.toUTCString()}`;
}

/** A Set-Cookie value that deletes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${sessionCookieName(secure)}=; ${attributes(secure)}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/**
 * Refuses to hand a Secure session cookie over plain HTTP (the browser would drop it), but on this
 * machine itself (localhost), where browsers treat HTTP as secure. Call it before anything that
 * signs in. Throws ProtocolError `invalid_request`.
 */
export function requireCookieTransport(request: Request, secure: boolean): void {
  const host = request.headers.get("host") ?? new URL(request.url).host;
  const https = (request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "")) === "https";
  if (secure && !https && !LOOPBACK.test(host)) {
    throw new ProtocolError("invalid_request", "Sign in over HTTPS: the session cookie is only ever sent over a secure connection.");
  }
}
