import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import * as batchRoute from "../../app/api/v1/records/batch/route";
import * as recordsRoute from "../../app/api/v1/records/route";
import { proofResponse } from "../http/proof-response";
import { textBodyOf } from "../http/request";
import { logger } from "../observability/logger";

/** A route the server answers itself. `request()` builds the web Request, for handlers that read it. */
type FastRoute = { method: string; pattern: RegExp; handle: (request: () => Request, match: RegExpExecArray) => Promise<Response> };

/**
 * The hottest endpoints, dispatched by `scripts/start.ts` straight to their own route handlers
 * (the very functions in app/api/v1/**, or for proofs the function its handler calls), skipping
 * Next.js's router and request pipeline. The proofs and single-record benchmarks measured that
 * pipeline at about 2 ms of CPU per request on these machines, several times the work of the
 * handler itself. Behaviour is identical: same handler, same Response; `SEALBOOK_FAST_ROUTES=0`
 * turns the shortcut off.
 */
const FAST_ROUTES: FastRoute[] = [
  {
    method: "GET",
    pattern: /^\/api\/v1\/proofs\/([^/?#]+)$/,
    // The proof handler reads only its path parameter, so no Request is built for it.
    handle: (_request, match) => proofResponse(decodedSegment(match[1])),
  },
  { method: "POST", pattern: /^\/api\/v1\/records$/, handle: (request) => recordsRoute.POST(request()) },
  { method: "POST", pattern: /^\/api\/v1\/records\/batch$/, handle: (request) => batchRoute.POST(request()) },
];

/** A path segment with its percent-escapes decoded; a malformed escape is left as it is, for the handler to refuse (400). */
function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

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
    response.headers.forEach((value, name) => res.setHeader(name, value));
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
    res.end(JSON.stringify({ type: "/api#problem-internal", title: "Internal error", status: 500, detail: "The ledger could not answer this request. Nothing was stored.", code: "internal" }));
  }
}
