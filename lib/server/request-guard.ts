import type { IncomingMessage, Server, ServerOptions, ServerResponse } from "node:http";
import { addressFromForwardedFor } from "../admin/http/client";
import { problemOf } from "../http/problem";
import { securityHeadersFor } from "../http/security-headers";
import { ProtocolError } from "../protocol/errors";
import type { RequestLimits } from "../request-limits";
import { RateLimiter } from "./rate-limit";

/**
 * What `scripts/start.ts` checks before a request reaches a fast route or Next.js: a path whose
 * percent-escapes do not decode is answered 400 (Next.js answered 500 with a stack trace in the
 * log), and each client address is held to the public rate limits (429 `rate_limited` with
 * Retry-After). The admin console has its own throttles, and static assets are not counted.
 */
export interface RequestGuard {
  /** Answers `req` itself when it must be refused, and tells whether it did. */
  refuse(req: IncomingMessage, res: ServerResponse): boolean;
}

/**
 * Options for `createServer`: node checks the header and request timeouts only every
 * `connectionsCheckingInterval` (30 s by default), which would let a trickled request live up to
 * 30 s past its limit; once a second keeps the limits what they say.
 */
export function serverOptionsFor(limits: RequestLimits): ServerOptions {
  return {
    connectionsCheckingInterval: 1_000,
    headersTimeout: limits.HTTP_HEADERS_TIMEOUT_SECONDS * 1000,
    requestTimeout: limits.HTTP_REQUEST_TIMEOUT_SECONDS * 1000,
  };
}

/** Sets the server's timeouts and connection cap: a body trickled a byte at a time no longer holds a connection for 300 s. */
export function applyServerLimits(server: Server, limits: RequestLimits): void {
  server.headersTimeout = limits.HTTP_HEADERS_TIMEOUT_SECONDS * 1000;
  server.requestTimeout = limits.HTTP_REQUEST_TIMEOUT_SECONDS * 1000;
  server.maxConnections = limits.MAX_CONNECTIONS;
}

/** Which rate limit a request falls under, or null for none. */
function limitClass(method: string | undefined, path: string): "submissions" | "reads" | null {
  if (path.startsWith("/_next/static/") || path === "/favicon.ico") return null;
  if (path === "/admin" || path.startsWith("/admin/") || path.startsWith("/api/v1/admin/")) return null;
  if (method === "POST" && (path === "/api/v1/records" || path === "/api/v1/records/batch")) return "submissions";
  return "reads";
}

/** The guard for these limits; `trustedProxyHops` says where in X-Forwarded-For the client's address is. */
export function createRequestGuard(limits: RequestLimits, trustedProxyHops: number): RequestGuard {
  const limiters = { submissions: new RateLimiter(limits.RATE_LIMIT_SUBMISSIONS), reads: new RateLimiter(limits.RATE_LIMIT_READS) };
  return {
    refuse(req, res) {
      const path = (req.url ?? "/").split("?")[0];
      const api = path.startsWith("/api/");
      try {
        decodeURI(path);
      } catch {
        answer(req, res, api, new ProtocolError("invalid_request", "The path has a malformed percent-escape."), {});
        return true;
      }
      const kind = limitClass(req.method, path);
      if (kind === null) return false;
      const forwarded = req.headers["x-forwarded-for"];
      const address = addressFromForwardedFor(Array.isArray(forwarded) ? forwarded.join(", ") : forwarded, trustedProxyHops) ?? req.socket.remoteAddress ?? "unknown";
      const wait = limiters[kind].take(address);
      if (wait === 0) return false;
      const error = new ProtocolError("rate_limited", `Too many requests from your address; try again in ${wait} seconds.`, { retryAfterSeconds: wait });
      answer(req, res, api, error, { "retry-after": String(wait) });
      return true;
    },
  };
}

function answer(req: IncomingMessage, res: ServerResponse, api: boolean, error: ProtocolError, extra: Record<string, string>): void {
  const problem = problemOf(error);
  res.statusCode = problem.status;
  for (const { key, value } of securityHeadersFor(req.headers["x-forwarded-proto"] as string | undefined)) res.setHeader(key, value);
  for (const [key, value] of Object.entries(extra)) res.setHeader(key, value);
  res.setHeader("cache-control", "no-store");
  if (api) {
    res.setHeader("content-type", "application/problem+json");
    res.end(JSON.stringify(problem));
  } else {
    res.setHeader("content-type", "text/plain; charset=utf-8");
    res.end(`${problem.status} ${problem.title}: ${problem.detail}\n`);
  }
}
