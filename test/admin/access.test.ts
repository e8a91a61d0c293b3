/**
 * Every admin API route answers 401 without a session and 403 to a role without its permission,
 * and every admin page starts with its guard. The routes and pages are found on disk, so that a new
 * one cannot be left open by mistake. (test/e2e/admin.test.ts walks the pages over HTTP too.)
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { ADMIN_ROLES, can, PERMISSIONS, type Permission } from "../../lib/admin/roles";
import { drivers, skipReason } from "../support/db";
import { adminEnv, call, type AdminEnv } from "./support/admin-env";
import { adminPageFiles, adminRouteFiles, HTTP_METHODS, pageGuard, PUBLIC_ENDPOINTS, PUBLIC_PAGES, urlPathOf } from "./support/admin-routes";

type Handler = ((request: Request, context?: unknown) => Promise<Response>) & { access?: Permission | "public" };

/** Every exported HTTP method handler of every admin route file. */
async function adminEndpoints() {
  const endpoints: Array<{ method: string; path: string; params: Record<string, string>; handler: Handler; file: string }> = [];
  for (const file of adminRouteFiles()) {
    const mod = (await import(file)) as Record<string, unknown>;
    const { path: urlPath, params } = urlPathOf(file);
    for (const method of HTTP_METHODS) {
      if (typeof mod[method] === "function") endpoints.push({ method, path: urlPath, params, handler: mod[method] as Handler, file: path.relative(process.cwd(), file) });
    }
  }
  return endpoints;
}

const endpoints = await adminEndpoints();

describe("the admin routes on disk", () => {
  it("are all found", () => {
    assert.ok(endpoints.length >= 15, `only ${endpoints.length} admin endpoints found`);
  });

  it("are each wrapped by adminRoute or publicAdminRoute, naming what they need", () => {
    for (const e of endpoints) {
      assert.ok(e.handler.access === "public" || PERMISSIONS.includes(e.handler.access as Permission), `${e.method} ${e.path} (${e.file}) is not wrapped by adminRoute(): it would be open to anyone`);
    }
  });

  it("are open without a session only for signing in and the first-admin setup link", () => {
    const open = endpoints.filter((e) => e.handler.access === "public").map((e) => `${e.method} ${e.path}`);
    assert.deepEqual(open, [...PUBLIC_ENDPOINTS]);
  });

  it("need more than the read permission to change anything (one's own session and password aside)", () => {
    // What every role may do to itself: sign out, and change its own password.
    const selfService = new Set(["DELETE /api/v1/admin/session", "POST /api/v1/admin/session/password"]);
    for (const e of endpoints) {
      if (e.method === "GET" || e.handler.access === "public" || selfService.has(`${e.method} ${e.path}`)) continue;
      assert.notEqual(e.handler.access, "read", `${e.method} ${e.path} changes something with only the read permission`);
    }
  });
});

describe("the admin pages on disk", () => {
  const pages = adminPageFiles();
  it("are read by a guard check that notices a page reading before its guard", () => {
    const guarded = 'export default async function P() {\n  const { may } = await requireAdminPage("read", "/admin/x");\n';
    assert.deepEqual(pageGuard(guarded), { permission: "read", path: "/admin/x" });
    assert.equal(pageGuard('export default async function P() {\n  const rows = await listAdminLog(db);\n  await requireAdminPage("read", "/admin/x");\n'), null);
    assert.equal(pageGuard("export default async function P() {\n  return null;\n"), null);
  });
  it("are all found", () => {
    assert.ok(pages.length >= 6, `only ${pages.length} admin pages found`);
  });
  for (const { file, source } of pages) {
    const { path: urlPath } = urlPathOf(file);
    it(`${urlPath} ${PUBLIC_PAGES.has(urlPath) ? "is a public page (sign-in, or the setup link's)" : "calls requireAdminPage first, for its own path"}`, () => {
      assert.doesNotMatch(source, /^\s*["']use client["']/, "an admin page must be a server component: its guard runs on the server");
      if (PUBLIC_PAGES.has(urlPath)) return;
      const guard = pageGuard(source);
      assert.ok(guard, `${path.relative(process.cwd(), file)} does not start with await requireAdminPage(permission, path)`);
      assert.ok(PERMISSIONS.includes(guard.permission as Permission), `unknown permission ${guard.permission}`);
      assert.equal(guard.path.replace(/\$\{[^}]+\}/g, "1"), urlPath.replace(/no-such-kid|999999/g, "1"), "the guard names the page's own path (where sign-in returns to)");
    });
  }
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`every admin API route against each role on ${driver}`, { skip: skip ?? false }, () => {
    let env: AdminEnv;
    before(async () => {
      env = await adminEnv(driver);
    });
    after(async () => env?.dispose());

    it("answers 401 without a session, or with a session that does not exist", async () => {
      for (const e of endpoints.filter((x) => x.handler.access !== "public")) {
        for (const cookie of [undefined, "sealbook_admin=forged-or-expired-token"]) {
          const response = await call(e.handler, e.method, e.path, { cookie, params: e.params, body: e.method === "GET" ? undefined : {} });
          assert.equal(response.status, 401, `${e.method} ${e.path} with ${cookie ? "a forged cookie" : "no cookie"}`);
          assert.equal(((await response.json()) as { code: string }).code, "unauthorized");
        }
      }
    });

    it("answers 403 to each role without the route's permission, and lets the others through", async () => {
      for (const role of ADMIN_ROLES) {
        for (const e of endpoints.filter((x) => x.handler.access !== "public")) {
          const cookie = await env.cookieFor(role);
          const response = await call(e.handler, e.method, e.path, { cookie, params: e.params, body: e.method === "GET" ? undefined : {} });
          await response.body?.cancel();
          const allowed = can(role, e.handler.access as Permission);
          if (allowed) assert.ok(![401, 403].includes(response.status), `${role} may ${e.method} ${e.path}, got ${response.status}`);
          else assert.equal(response.status, 403, `${role} may not ${e.method} ${e.path}`);
        }
      }
    });
  });
}
