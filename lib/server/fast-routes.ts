import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { postRecord, postRecordBatch } from "../http/acceptance";
import { INTERNAL_PROBLEM } from "../http/problem";
import { proofResponse } from "../http/proof-response";
import { securityHeadersFor } from "../http/security-headers";
import { textBodyOf } from "../http/request";
import { logger } from "../observability/logger";
import { getRuntime } from "./runtime";

/** A route the server answers itself. `request()` builds the web Request, for handlers that read it. */
type FastRoute = { method: string; pattern: RegExp; handle: (request: () => Request, match: RegExpExecArray) => Promise<Response> };

/**
 * The hottest endpoints, dispatched by `scripts/start.ts` straight to the lib/http functions their
 * route handlers in app/api/v1/** call (with the same runtime), skipping
 * Next.js's router and request pipeline. The proofs and single-record benchmarks measured that
 * pipeline at about 2 ms of CPU per request on these machines, several times the work of the
 * handler itself. Behaviour is identical: same function, same Response; `SEALBOOK_FAST_ROUTES=0`
 * turns the shortcut off.
 */
const FAST_ROUTES: FastRoute[] = [
  {
    method: "GET",
    pattern: /^\/api\/v1\/proofs\/([^/?#]+)$/,
    // The proof handler reads only its path parameter, so no Request is built for it.
    handle: (_request, match) => proofResponse(getRuntime, match[1]),
  },
  { method: "POST", pattern: /^\/api\/v1\/records$/, handle: (request) => postRecord(getRuntime, request()) },
  { method: "POST", pattern: /^\/api\/v1\/records\/batch$/, handle: (request) => postRecordBatch(getRuntime, request()) },
];

/**
 * Answers `req` through a fast route when one matches, and tells whether it did. Otherwise the
 * caller hands the request to Next.js.
 */
export function tryFastRoute(req: IncomingMessage, res: ServerResponse, origin: string): boolean {
  const path = (req.url ?? "/").split("?")[0];
  for (const route of FAST_ROUTES) {
    if (req.method !== route.method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    void answer(route, match, req, res, origin);
    return true;
  }
  return false;
}

async function answer(route: FastRoute, match: RegExpExecArray, req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  try {
    const request = () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined) continue;
        headers.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      return new Request(new URL(req.url ?? "/", origin), {
        method: req.method,
        headers,
        ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" } : {}),
      } as RequestInit);
    };
    const response = await route.handle(request, match);
    res.statusCode = response.status;
    // What next.config.ts `headers()` adds to the same answers through Next.js.
    for (const { key, value } of securityHeadersFor(req.headers["x-forwarded-proto"] as string | undefined)) res.setHeader(key, value);
    response.headers.forEach((value, name) => res.setHeader(name, value));
    // A body refused for its size is not read to its end: closing the connection stops it coming.
    if (response.status === 413) res.setHeader("connection", "close");
    const text = textBodyOf(response);
    if (text !== undefined) {
      res.end(text);
      return;
    }
    if (!response.body) {
      res.end();
      return;
    }
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    logger().error({ err: error, route: route.pattern.source }, "a fast route failed");
    if (!res.headersSent) {
      res.statusCode = 500;
      res.setHeader("content-type", "application/problem+json");
    }
    res.end(JSON.stringify(INTERNAL_PROBLEM));
  }
}
