/**
 * The public API of a ledger served over real HTTP for the watchdog tests: the app's own route
 * handlers behind a small node:http server (no Next.js build needed), a proxy that can alter
 * answers or fail on purpose, and ports from the watchdog's range 8800-8899. Not a test file.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import * as blockRoute from "../../../app/api/v1/blocks/[height]/route";
import * as entriesRoute from "../../../app/api/v1/blocks/[height]/entries/route";
import * as blocksRoute from "../../../app/api/v1/blocks/route";
import * as exportRoute from "../../../app/api/v1/export/route";
import * as healthRoute from "../../../app/api/v1/health/route";
import * as ledgerRoute from "../../../app/api/v1/ledger/route";
import * as proofsRoute from "../../../app/api/v1/proofs/[entryHash]/route";
import * as batchRoute from "../../../app/api/v1/records/batch/route";
import * as recordsRoute from "../../../app/api/v1/records/route";

/** A free TCP port in 8800-8899, the watchdog tests' range. */
export async function watchdogPort(): Promise<number> {
  const start = 8800 + Math.floor(Math.random() * 100);
  for (let i = 0; i < 100; i++) {
    const port = 8800 + ((start - 8800 + i) % 100);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("No free port in 8800-8899.");
}

type Route = { method: string; pattern: RegExp; answer: (request: Request, match: RegExpMatchArray) => Promise<Response> };

const params = <T extends string>(name: T, value: string) => ({ params: Promise.resolve({ [name]: value } as Record<T, string>) });

const ROUTES: Route[] = [
  { method: "GET", pattern: /^\/api\/v1\/ledger$/, answer: () => ledgerRoute.GET() },
  { method: "GET", pattern: /^\/api\/v1\/health$/, answer: () => healthRoute.GET() },
  { method: "GET", pattern: /^\/api\/v1\/export$/, answer: (r) => exportRoute.GET(r) },
  { method: "GET", pattern: /^\/api\/v1\/blocks$/, answer: (r) => blocksRoute.GET(r) },
  { method: "GET", pattern: /^\/api\/v1\/blocks\/([^/]+)$/, answer: (r, m) => blockRoute.GET(r, params("height", m[1])) },
  { method: "GET", pattern: /^\/api\/v1\/blocks\/([^/]+)\/entries$/, answer: (r, m) => entriesRoute.GET(r, params("height", m[1])) },
  { method: "GET", pattern: /^\/api\/v1\/proofs\/([^/]+)$/, answer: (r, m) => proofsRoute.GET(r, params("entryHash", m[1])) },
  { method: "POST", pattern: /^\/api\/v1\/records$/, answer: (r) => recordsRoute.POST(r) },
  { method: "POST", pattern: /^\/api\/v1\/records\/batch$/, answer: (r) => batchRoute.POST(r) },
];

/** A running HTTP server; `close()` ends it and every open connection. */
export interface TestServer {
  url: string;
  close(): Promise<void>;
}

async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  return new Request(`${origin}${req.url}`, { method: req.method, headers, body: req.method === "GET" || req.method === "HEAD" ? undefined : body });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) return void res.end();
  await new Promise<void>((resolve, reject) => {
    Readable.fromWeb(response.body as import("node:stream/web").ReadableStream).pipe(res).once("finish", resolve).once("error", reject);
  });
}

function listen(handler: (req: IncomingMessage, res: ServerResponse, origin: string) => Promise<void>, port: number): Promise<TestServer> {
  const origin = `http://127.0.0.1:${port}`;
  const server: Server = createServer((req, res) => {
    handler(req, res, origin).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () =>
      resolve({
        url: origin,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}

/**
 * Serves the public API of the ledger installed with `installRuntime` (the route handlers read
 * it) on a free port. Unknown paths answer a bare 404, as a web server in front would.
 */
export async function startPortal(): Promise<TestServer> {
  return listen(async (req, res, origin) => {
    const path = (req.url ?? "/").split("?")[0];
    const route = ROUTES.find((r) => r.method === req.method && r.pattern.test(path));
    if (!route) {
      res.statusCode = 404;
      return void res.end("not found");
    }
    await send(res, await route.answer(await toRequest(req, origin), path.match(route.pattern)!));
  }, await watchdogPort());
}

/** What the proxy does with one request: pass it, rewrite the answer's text, or fail it. */
export type ProxyRule = (path: string) => { rewrite?: (body: string) => string; failWith?: number } | null;

/**
 * A proxy in front of `target` that applies `rule` to each request: a portal that lies to the
 * watchdog (rewrites an answer), or a flaky one (answers 5xx). `rule` can be changed at any time.
 */
export async function startProxy(target: string, rule: ProxyRule = () => null): Promise<TestServer & { setRule(next: ProxyRule): void; requests: string[] }> {
  let current = rule;
  const requests: string[] = [];
  const server = await listen(async (req, res) => {
    const url = req.url ?? "/";
    requests.push(url);
    const action = current(url);
    if (action?.failWith) {
      res.statusCode = action.failWith;
      return void res.end("proxy: failing on purpose");
    }
    const upstream = await fetch(`${target}${url}`, { method: req.method, headers: { accept: req.headers.accept ?? "*/*" } });
    if (!action?.rewrite) return send(res, upstream);
    const text = action.rewrite(await upstream.text());
    res.statusCode = upstream.status;
    upstream.headers.forEach((value, name) => {
      if (name !== "content-length" && name !== "content-encoding") res.setHeader(name, value);
    });
    res.end(text);
  }, await watchdogPort());
  return { ...server, setRule: (next) => (current = next), requests };
}
