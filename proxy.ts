/**
 * The proxy (Next.js 16's name for middleware) of the public portal's languages: an unprefixed
 * URL (`/blocks/42`) is redirected to the reader's language (`/uk/blocks/42`), chosen from their
 * remembered choice, then Accept-Language (lib/portal/i18n/routing.ts). It runs inside
 * Next.js's request handler, so `npm start`'s custom server goes through it too. The API, the
 * admin console (English only), the probes, static files and images such as
 * `/entries/<hash>/qr.svg` are left alone.
 */
import createMiddleware from "next-intl/middleware";
import { routing } from "./lib/portal/i18n/routing";

export default createMiddleware(routing);

export const config = {
  // Every path but /api/… (the docs page /api itself is a portal page), /admin…, /metrics, the
  // probes, Next.js's own files and any path with a dot (files); the Atom feed is named apart.
  matcher: ["/((?!api/|admin|metrics|health|_next|_vercel|.*\\..*).*)", "/feed.xml"],
};
