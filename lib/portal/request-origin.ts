/**
 * The origin (scheme, host, port) a request reached the portal at, from its Host header and, behind
 * a TLS-terminating reverse proxy, its `X-Forwarded-Proto`; `fallback` when there is no Host. The
 * QR codes the portal draws hold this origin, so they lead back to the address the reader used.
 *
 * X-Forwarded-Host is not read: caches key their entries by Host, so a request cannot make a cached
 * QR image point at another site.
 */
export function requestOrigin(headers: Headers, fallback: string): string {
  const host = headers.get("host")?.trim() ?? "";
  if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$/.test(host)) return fallback.replace(/\/+$/, "");
  const proto = (headers.get("x-forwarded-proto") ?? "").split(",")[0].trim().toLowerCase();
  return `${proto === "https" ? "https" : "http"}://${host}`;
}
