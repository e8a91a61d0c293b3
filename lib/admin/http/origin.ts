import { ProtocolError } from "../../protocol/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether a request may change something (anything but GET, HEAD, OPTIONS). */
export function isMutation(request: Request): boolean {
  return !SAFE_METHODS.has(request.method.toUpperCase());
}

/**
 * Refuses a cross-origin mutation (CSRF), on top of the SameSite=Lax session cookie: the browser's
 * `Sec-Fetch-Site` must say `same-origin`, and `Origin` must name this host (the Host header, or
 * X-Forwarded-Host behind trusted proxies) or one of `allowedOrigins`. A mutation carrying
 * neither header is refused too: every browser sends `Origin` on a POST, so only a script that
 * forgot it would, and it can add it.
 * Throws ProtocolError `forbidden` saying what was wrong.
 */
export function checkSameOrigin(request: Request, options: { allowedOrigins: readonly string[]; trustedProxyHops: number }): void {
  if (!isMutation(request)) return;
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  const allowed = origin !== null && options.allowedOrigins.includes(origin.replace(/\/+$/, ""));
  if (fetchSite !== null && fetchSite !== "same-origin" && !allowed) {
    throw new ProtocolError("forbidden", `Cross-origin request refused: admin changes must come from the console's own pages (Sec-Fetch-Site: ${fetchSite}).`, {
      secFetchSite: fetchSite,
    });
  }
  if (origin === null) {
    if (fetchSite === "same-origin") return;
    throw new ProtocolError("forbidden", "Request refused: an admin change must carry an Origin header naming this site.");
  }
  if (allowed) return;
  const forwarded = options.trustedProxyHops > 0 ? request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() : null;
  const host = (forwarded || request.headers.get("host") || new URL(request.url).host).toLowerCase();
  let originHost: string | null = null;
  try {
    originHost = origin === "null" ? null : new URL(origin).host.toLowerCase();
  } catch {
    originHost = null;
  }
  if (originHost !== host) {
    throw new ProtocolError("forbidden", `Cross-origin request refused: the Origin ${JSON.stringify(origin)} is not this site (${host}).`, { origin, host });
  }
}
