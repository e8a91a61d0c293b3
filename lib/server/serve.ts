/**
 * The HTTP side of `npm start`: one Node server on PORT that answers from the moment the process
 * starts. Until `serve()` hands it the app, it answers the probes (live 200, ready 503) and 503
 * to everything else; then the probes, `/metrics` (behind METRICS_TOKEN), the fast routes and
 * Next.js. Every request is logged once at info (method, route pattern, status, duration; never
 * a body) and counted in the metrics. `drain()` is the first step of a graceful shutdown.
 * METRICS_PORT adds a second server on 127.0.0.1 that serves /metrics without a token.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Database } from "../../db/client";
import { appendPeerAddress } from "../admin/http/peer-address";
import type { SealbookConfig } from "../config";
import { logger } from "../observability/logger";
import { metrics, metricsText } from "../observability/metrics";
import { tryFastRoute } from "./fast-routes";
import { lifecycle, liveResponse, readyResponse } from "./readiness";
import { applyServerLimits, createRequestGuard, serverOptionsFor } from "./request-guard";
import { loadRoutePatterns } from "./route-patterns";

/** What `serve()` hands the server once the process is ready. */
export interface ServedApp {
  /** Next.js's request handler. */
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** The open database, for the readiness check. */
  database: () => Promise<Database>;
  fastRoutes: boolean;
  /** The origin fast routes build their Request URLs on. */
  origin: string;
}

export interface SealbookServer {
  readonly port: number;
  /** Sends requests to `app` from now on (the lifecycle must be `serving` for it to get them). */
  serve(app: ServedApp): void;
  /**
   * Stops accepting connections, answers 503 (`Connection: close`) to any new request on an open
   * one, and waits up to `graceMs` for the requests in flight; then cuts what is left. Tells how
   * many were cut.
   */
  drain(graceMs: number): Promise<{ cut: number }>;
}

const LIVE = "/api/v1/health/live";
const READY = "/api/v1/health/ready";
const QUIET_ROUTES = new Set([LIVE, READY, "/metrics"]);
const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Starts listening on HOST:PORT (every interface without HOST; and 127.0.0.1:METRICS_PORT when set); `dir` holds the Next.js build whose route patterns label the logs. */
export async function startHttpServer(config: SealbookConfig, dir: string): Promise<SealbookServer> {
  // Read again in serve(): a first start builds the app (and its routes manifest) after listening.
  let routeOf = loadRoutePatterns(dir);
  const inFlight = new Set<ServerResponse>();
  let app: ServedApp | null = null;
  let draining: (() => void) | null = null;

  const finished = (req: IncomingMessage, res: ServerResponse, route: string, startedAt: number) => {
    inFlight.delete(res);
    const seconds = (performance.now() - startedAt) / 1000;
    const method = METHODS.has(req.method ?? "") ? req.method! : "OTHER";
    const status = res.statusCode;
    metrics().httpRequests.inc({ method, route, status: String(status) });
    metrics().httpSeconds.observe({ method, route }, seconds);
    const durationMs = Math.round(seconds * 10_000) / 10;
    const aborted = !res.writableFinished;
    // Probes and scrapes come every few seconds: counted, but logged at debug only.
    const level = QUIET_ROUTES.has(route) && status < 500 ? "debug" : "info";
    logger()[level]({ method, route, status, durationMs, ...(aborted ? { aborted } : {}) }, `${method} ${route} ${status} ${durationMs} ms${aborted ? " (connection closed before the answer was complete)" : ""}`);
    if (draining && inFlight.size === 0) draining();
  };

  // The public rate limits and the malformed-path check (lib/server/request-guard.ts).
  const guard = createRequestGuard(config, config.TRUSTED_PROXY_HOPS);
  const server = createServer(serverOptionsFor(config), (req, res) => {
    const startedAt = performance.now();
    const pathname = (req.url ?? "/").split("?")[0];
    const route = routeOf(pathname);
    inFlight.add(res);
    res.once("close", () => finished(req, res, route, startedAt));
    void dispatch(req, res, pathname).catch((error: unknown) => {
      logger().error({ err: error, route }, "a request failed");
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });

  const dispatch = async (req: IncomingMessage, res: ServerResponse, pathname: string) => {
    if (pathname === LIVE) return send(res, liveResponse());
    if (pathname === READY) return send(res, await readyResponse(app?.database ?? null));
    if (pathname === "/metrics") return send(res, await metricsBehindToken(req, config.METRICS_TOKEN));
    const state = lifecycle();
    if (state !== "serving" || !app) {
      if (state === "stopping") res.setHeader("connection", "close");
      return send(res, unavailable(state === "stopping" ? "The server is shutting down; try another instance or try again." : "The server is starting; try again in a few seconds."));
    }
    // The rate limits, the admin console's sign-in throttle and log need the real peer address (lib/admin/http/client.ts).
    appendPeerAddress(req);
    if (guard.refuse(req, res)) return;
    if (app.fastRoutes && tryFastRoute(req, res, app.origin)) return;
    await app.handler(req, res);
  };

  await listen(server, config.PORT, config.HOST);
  applyServerLimits(server, config);
  const metricsServer = config.METRICS_PORT ? await startMetricsServer(config.METRICS_PORT) : null;
  return {
    port: config.PORT,
    serve: (served) => {
      routeOf = loadRoutePatterns(dir);
      app = served;
    },
    drain: async (graceMs) => {
      server.close();
      metricsServer?.close();
      server.closeIdleConnections();
      if (inFlight.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([new Promise<void>((resolve) => (draining = resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
      }
      const cut = inFlight.size;
      server.closeAllConnections();
      metricsServer?.closeAllConnections();
      return { cut };
    },
  };
}

/** `/metrics` on the main port: 404 without METRICS_TOKEN configured, 401 without the right bearer token. */
async function metricsBehindToken(req: IncomingMessage, token: string | undefined): Promise<Response> {
  if (!token) return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain" } });
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1] ?? "";
  if (!sameSecret(presented, token)) {
    return new Response("A bearer token is required (METRICS_TOKEN).\n", { status: 401, headers: { "content-type": "text/plain", "www-authenticate": 'Bearer realm="metrics"' } });
  }
  return metricsResponse();
}

async function metricsResponse(): Promise<Response> {
  const { contentType, text } = await metricsText();
  return new Response(text, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}

/** Compares two secrets in constant time (their digests, so lengths leak nothing either). */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function unavailable(detail: string): Response {
  return new Response(JSON.stringify({ type: "/api#problem-unavailable", title: "Service unavailable", status: 503, detail, code: "unavailable" }), {
    status: 503,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", "retry-after": "5" },
  });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** The second metrics listener: /metrics without a token, bound to 127.0.0.1 only. */
async function startMetricsServer(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const pathname = (req.url ?? "/").split("?")[0];
    const answer = pathname === "/metrics" ? metricsResponse() : Promise.resolve(new Response("Not found\n", { status: 404 }));
    void answer.then((response) => send(res, response)).catch((error: unknown) => {
      logger().error({ err: error }, "metrics: could not answer a scrape");
      res.statusCode = 500;
      res.end();
    });
  });
  await listen(server, port, "127.0.0.1");
  logger().info({ port }, `metrics on http://127.0.0.1:${port}/metrics`);
  return server;
}

function listen(server: Server, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
