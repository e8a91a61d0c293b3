/**
 * The security headers of every answer: portal pages, API and admin JSON, and the answers
 * `scripts/start.ts` writes itself. `next.config.ts` sends them through `headers()`; the fast
 * routes and the server's own refusals add them with `securityHeadersFor`.
 *
 * script-src allows 'unsafe-inline' rather than a per-request nonce: Next.js bootstraps every page
 * with inline scripts, and a nonce (set in proxy.ts) would make every page dynamic, losing the
 * cached sealed-block pages (600–900 req/s instead of about 120). The policy still refuses scripts
 * from any other origin, plugins, <base> changes, and form posts elsewhere. 'wasm-unsafe-eval'
 * lets the browser verifier compile its keccak WebAssembly. connect-src stays open: the verifier
 * reads the chain through whatever RPC endpoint its reader chooses.
 */
function contentSecurityPolicy(frameAncestors: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'${process.env.NODE_ENV === "production" ? "" : " 'unsafe-eval'"}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self' https: http: wss: ws:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join("; ");
}

/** The portal's and the API's policy: pages may be framed by the portal itself only. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy("'self'");
/** The admin console's: never framed (clickjacking). */
export const ADMIN_CONTENT_SECURITY_POLICY = contentSecurityPolicy("'none'");

/** Headers sent on every answer. */
export const SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "Content-Security-Policy", value: CONTENT_SECURITY_POLICY },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

/**
 * HSTS, sent only when the request came over TLS, which the server learns from a reverse proxy's
 * `X-Forwarded-Proto: https` (browsers ignore the header on plain HTTP answers, RFC 6797 §8.1, so a
 * client that sends the header itself gains nothing).
 */
export const HSTS_HEADER = { key: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" } as const;

/** Every security header an answer to a request with these headers carries. */
export function securityHeadersFor(forwardedProto: string | null | undefined): Array<{ key: string; value: string }> {
  const https = (forwardedProto ?? "").split(",")[0].trim().toLowerCase() === "https";
  return https ? [...SECURITY_HEADERS, HSTS_HEADER] : [...SECURITY_HEADERS];
}
