import type { ClientInfo } from "../admin-log";

/**
 * The client's address: the X-Forwarded-For entry `trustedProxyHops` places from the right.
 * `scripts/start.ts` appends the socket's peer address to that header on every request
 * (`appendPeerAddress`), so its last entry is always the real peer; with reverse proxies in front
 * (TRUSTED_PROXY_HOPS), each appends the address it saw, and the entries further left are whatever
 * the client claimed. Null when the header is missing (a handler called outside the server).
 */
export function clientAddress(headers: Headers, trustedProxyHops: number): string | null {
  return addressFromForwardedFor(headers.get("x-forwarded-for"), trustedProxyHops);
}

/** The client's address from an X-Forwarded-For value; see `clientAddress`. */
export function addressFromForwardedFor(forwardedFor: string | null | undefined, trustedProxyHops: number): string | null {
  const entries = (forwardedFor ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return null;
  const entry = entries[Math.max(0, entries.length - 1 - trustedProxyHops)];
  return entry.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "").slice(0, 64);
}

/** Where a request came from, for the admin log and the sign-in throttle. */
export function clientInfo(headers: Headers, trustedProxyHops: number): ClientInfo {
  return { ip: clientAddress(headers, trustedProxyHops), userAgent: headers.get("user-agent")?.slice(0, 500) ?? null };
}
