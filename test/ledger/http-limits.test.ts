/**
 * The limits of a public server (issue 12, items 5, 11, 14, 15): the batch body cap and its flat
 * envelope, the same through the fast routes of `npm start` as through the route handlers; the
 * concurrency slots; per-address rate limits; the server's timeouts; malformed percent-escapes;
 * and the security headers. Counts and refusals only: no timing is asserted (see
 * `npm run bench security` for the load-shaped figures).
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import nextConfig from "../../next.config";
import * as batchRoute from "../../app/api/v1/records/batch/route";
import { isFlatBatchEnvelope } from "../../lib/http/batch-envelope";
import { RequestSlots } from "../../lib/http/request-slots";
import { readConfig } from "../../lib/config";
import { tryFastRoute } from "../../lib/server/fast-routes";
import { RateLimiter } from "../../lib/server/rate-limit";
import { applyServerLimits, createRequestGuard, serverOptionsFor } from "../../lib/server/request-guard";
import { installRuntime } from "../../lib/server/runtime";
import { drivers, skipReason } from "../support/db";
import { ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";

const MAX = 64 * 1024;

/** A server that answers as `npm start` does: the request guard, then the fast routes. */
async function startServer(env: Record<string, string>): Promise<{ server: Server; url: string }> {
  const config = readConfig({ LEDGER_ID: "test", SEALBOOK_CHAIN: "off", ...env });
  const guard = createRequestGuard(config, 0);
  const server = createServer(serverOptionsFor(config), (req, res) => {
    if (guard.refuse(req, res)) return;
    if (tryFastRoute(req, res, "http://localhost")) return;
    res.statusCode = 200;
    res.end("next.js would answer");
  });
  applyServerLimits(server, config);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("the batch envelope", () => {
  it("is accepted only flat: {\"jws\": [scalars]}", () => {
    for (const ok of ['{"jws":["a.b.c"]}', ' { "jws" : [ "a.b.c" , 7 , null, "x\\"y" ] } ', '{"jws":[]}']) assert.ok(isFlatBatchEnvelope(ok), ok);
    const deep = `{"jws":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    for (const bad of ['{"jws":[["a"]]}', '{"jws":[{"a":1}]}', '{"jws":["a"],"x":1}', '{"jws":"a"}', '{"jws":["a"]} x', '{"jws":["a]}', '{"jws":["a"],"jws":["b"]}', deep]) {
      assert.equal(isFlatBatchEnvelope(bad), false, bad.slice(0, 40));
    }
  });
});

describe("request slots", () => {
  it("run at most `max` at once, queue 8 per slot, and refuse the next with rate_limited", async () => {
    const slots = new RequestSlots("test requests", 1);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await gate;
      running--;
    };
    const accepted = Array.from({ length: 9 }, () => slots.run(work));
    await assert.rejects(slots.run(work), (error: { code: string; details: { retryAfterSeconds: number } }) => error.code === "rate_limited" && error.details.retryAfterSeconds === 1);
    release();
    await Promise.all(accepted);
    assert.equal(most, 1);
  });
});

describe("the per-address rate limiter", () => {
  it("allows bursts of twice the rate, then tells how long to wait, per address", () => {
    const limiter = new RateLimiter(2);
    const now = 1_000_000;
    for (let i = 0; i < 4; i++) assert.equal(limiter.take("a", now), 0);
    assert.equal(limiter.take("a", now), 1);
    assert.equal(limiter.take("b", now), 0, "another address has its own bucket");
    assert.equal(limiter.take("a", now + 1000), 0);
    assert.equal(limiter.take("a", now + 1000), 0);
    assert.equal(limiter.take("a", now + 1000), 1);
    assert.equal(new RateLimiter(0).take("a", now), 0, "0 turns it off");
  });
});

describe("the security headers", () => {
  it("are set on every path by next.config.ts, with HSTS only behind TLS, and the admin console never framed", async () => {
    const rules = await nextConfig.headers!();
    const all = rules.filter((r) => r.source === "/:path*" && !r.has);
    const names = all.flatMap((r) => r.headers.map((h) => h.key.toLowerCase()));
    for (const name of ["content-security-policy", "x-content-type-options", "referrer-policy"]) assert.ok(names.includes(name), name);
    const csp = all.flatMap((r) => r.headers).find((h) => h.key === "Content-Security-Policy")!.value;
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /object-src 'none'/);
    const hsts = rules.find((r) => r.has?.some((h) => h.type === "header" && h.key === "x-forwarded-proto" && h.value === "https"));
    assert.ok(hsts?.headers.some((h) => h.key === "Strict-Transport-Security"));
    const admin = rules.find((r) => r.source === "/admin/:path*")!;
    assert.match(admin.headers.find((h) => h.key === "Content-Security-Policy")!.value, /frame-ancestors 'none'/);
  });
});

describe("the server's own checks", () => {
  let server: Server;
  let url: string;
  before(async () => ({ server, url } = await startServer({ RATE_LIMIT_READS: "1", RATE_LIMIT_SUBMISSIONS: "0" })));
  after(() => server?.close());

  it("answer malformed percent-escapes 400: problem+json for the API, a plain page otherwise", async () => {
    for (const path of ["/api/v1/proofs/%E0%A4%A", "/api/v1/blocks/%E0%A4%A"]) {
      const response = await fetch(`${url}${path}`);
      assert.equal(response.status, 400, path);
      assert.equal(response.headers.get("content-type"), "application/problem+json");
      assert.equal(((await response.json()) as { code: string }).code, "invalid_request");
      assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    }
    const page = await fetch(`${url}/entries/%E0%A4%A`);
    assert.equal(page.status, 400);
    assert.match(page.headers.get("content-type") ?? "", /^text\/plain/);
  });

  it("hold an address to the read rate with 429 rate_limited and Retry-After, but not the admin console", async () => {
    const headers = { "x-forwarded-for": "203.0.113.9" };
    // The server appends the peer (as npm start does) only in start.ts; here the last entry is the client's own claim.
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${url}/api/v1/ledger`, { headers })).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    const refused = await fetch(`${url}/api/v1/ledger`, { headers });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "1");
    assert.equal(((await refused.json()) as { code: string }).code, "rate_limited");
    assert.equal((await fetch(`${url}/api/v1/ledger`, { headers: { "x-forwarded-for": "203.0.113.10" } })).status, 200, "another address");
    assert.equal((await fetch(`${url}/api/v1/admin/session`, { headers })).status, 200, "the admin console has its own throttles");
  });

  it("set header and request timeouts of 10 and 30 s and a connection cap", () => {
    assert.equal(server.headersTimeout, 10_000);
    assert.equal(server.requestTimeout, 30_000);
    assert.equal(server.maxConnections, 1024);
  });
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`batch bodies through the route handler and the fast route alike, on ${driver}`, { skip: skip ?? false }, () => {
    let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
    let server: Server;
    let url: string;
    before(async () => {
      env = await ledgerWithSigner(driver);
      const config = readConfig({ LEDGER_ID: "test", SEALBOOK_CHAIN: "off", BATCH_MAX_BYTES: String(MAX) });
      installRuntime({ config, handle: env.db, ledger: env.ledger });
      ({ server, url } = await startServer({ RATE_LIMIT_READS: "0", RATE_LIMIT_SUBMISSIONS: "0" }));
    });
    after(async () => {
      server?.close();
      await env?.db.dispose();
    });

    const bodies = async () => {
      const good = await signedRecord(env.privateJwk, env.ledger.genesisRoot);
      const big = JSON.stringify({ jws: Array.from({ length: Math.ceil((MAX + 1) / good.length) }, () => good) });
      return {
        "over the cap": { body: big, status: 413, code: "payload_too_large" },
        nested: { body: `{"jws":[${"[".repeat(5000)}${"]".repeat(5000)}]}`, status: 400, code: "invalid_jws" },
        "with another member": { body: JSON.stringify({ jws: [good], more: { a: 1 } }), status: 400, code: "invalid_jws" },
      };
    };

    it("refuses a body over BATCH_MAX_BYTES with 413 and a nested envelope with 400, both ways the same", async () => {
      for (const [name, { body, status, code }] of Object.entries(await bodies())) {
        const direct = await batchRoute.POST(new Request("http://localhost/api/v1/records/batch", { method: "POST", body, headers: { "content-type": "application/json" } }));
        const fast = await fetch(`${url}/api/v1/records/batch`, { method: "POST", body, headers: { "content-type": "application/json" } });
        for (const [way, response] of [["route handler", direct], ["fast route", fast]] as const) {
          assert.equal(response.status, status, `${name} through the ${way}`);
          assert.equal(((await response.json()) as { code: string }).code, code, `${name} through the ${way}`);
        }
        assert.equal(fast.headers.get("x-content-type-options"), "nosniff", "the fast route sends the security headers");
      }
    });

    it("refuses a body sent without a length once it passes the cap, while reading", async () => {
      const body = `{"jws":["${"a".repeat(16 * MAX)}"]}`;
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= body.length) return controller.close();
          const chunk = new TextEncoder().encode(body.slice(sent, sent + 4096));
          sent += 4096;
          controller.enqueue(chunk);
        },
      });
      const response = await batchRoute.POST(new Request("http://localhost/api/v1/records/batch", { method: "POST", body: stream, headers: { "content-type": "application/json" }, duplex: "half" } as RequestInit));
      assert.equal(response.status, 413);
      assert.ok(sent < body.length, "the rest of the body was never read");
    });
  });
}
