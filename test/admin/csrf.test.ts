/**
 * Cross-origin mutations are refused (CSRF): the Origin header must name this host and
 * Sec-Fetch-Site must say same-origin; a signed-in admin's refused request is logged.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as sealRoute from "../../app/api/v1/admin/jobs/seal/route";
import * as sessionRoute from "../../app/api/v1/admin/session/route";
import * as signersRoute from "../../app/api/v1/admin/signers/route";
import { listAdminLog } from "../../lib/admin/admin-log";
import { checkSameOrigin } from "../../lib/admin/http/origin";
import { ProtocolError } from "../../lib/protocol/errors";
import { drivers, skipReason } from "../support/db";
import { adminEnv, call, PASSWORD, type AdminEnv } from "./support/admin-env";

const options = { allowedOrigins: ["https://console.example.org"], trustedProxyHops: 0 };
const request = (method: string, headers: Record<string, string>) => new Request("http://ledger.example.org/api/v1/admin/jobs/seal", { method, headers: { host: "ledger.example.org", ...headers } });
const refused = (r: Request) => assert.throws(() => checkSameOrigin(r, options), (e: ProtocolError) => e.code === "forbidden");

describe("the same-origin check", () => {
  it("lets a same-origin mutation through", () => {
    checkSameOrigin(request("POST", { origin: "http://ledger.example.org", "sec-fetch-site": "same-origin" }), options);
    checkSameOrigin(request("POST", { origin: "https://ledger.example.org" }), options);
    checkSameOrigin(request("POST", { "sec-fetch-site": "same-origin" }), options);
  });
  it("refuses another origin, a sibling site, a null origin, and a mutation with neither header", () => {
    refused(request("POST", { origin: "https://evil.example" }));
    refused(request("POST", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }));
    refused(request("POST", { origin: "http://ledger.example.org", "sec-fetch-site": "same-site" }));
    refused(request("DELETE", { origin: "null" }));
    refused(request("PATCH", {}));
    refused(request("POST", { origin: "http://ledger.example.org.evil.example" }));
  });
  it("lets configured origins through, and never checks reads", () => {
    checkSameOrigin(request("POST", { origin: "https://console.example.org", "sec-fetch-site": "cross-site" }), options);
    checkSameOrigin(request("GET", { origin: "https://evil.example", "sec-fetch-site": "cross-site" }), options);
  });
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`cross-origin admin requests on ${driver}`, { skip: skip ?? false }, () => {
    let env: AdminEnv;
    before(async () => {
      env = await adminEnv(driver);
    });
    after(async () => env?.dispose());

    it("refuses a cross-origin mutation of a signed-in admin with 403, does nothing, and logs it", async () => {
      const cookie = await env.cookieFor("admin");
      const response = await call(sealRoute.POST, "POST", "/api/v1/admin/jobs/seal", { cookie, origin: "https://evil.example", headers: { "sec-fetch-site": "cross-site", "x-forwarded-for": "203.0.113.9", "user-agent": "csrf test" } });
      assert.equal(response.status, 403);
      assert.equal(((await response.json()) as { code: string }).code, "forbidden");
      const [entry] = await listAdminLog(env.ledger.db, { limit: 1 });
      assert.equal(entry.action, "access_denied");
      assert.equal(entry.outcome, "denied");
      assert.equal(entry.email, env.emails.admin);
      assert.equal(entry.target, "POST /api/v1/admin/jobs/seal");
      assert.equal(entry.ip, "203.0.113.9");
      assert.equal(entry.userAgent, "csrf test");
      assert.match(String(entry.details.reason), /Cross-origin request refused/);
    });

    it("refuses a mutation without Origin, and a form posted from another site", async () => {
      const cookie = await env.cookieFor("operator");
      const body = { jwk: { kty: "OKP", crv: "Ed25519", x: "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo" }, label: "csrf" };
      assert.equal((await call(signersRoute.POST, "POST", "/api/v1/admin/signers", { cookie, origin: null, body })).status, 403);
      assert.equal((await call(signersRoute.POST, "POST", "/api/v1/admin/signers", { cookie, origin: "https://evil.example", body })).status, 403);
      const list = await call(signersRoute.GET, "GET", "/api/v1/admin/signers", { cookie });
      assert.equal(((await list.json()) as { signers: unknown[] }).signers.length, 0, "nothing was registered");
      assert.equal((await call(signersRoute.POST, "POST", "/api/v1/admin/signers", { cookie, body })).status, 201, "the same request from the console's origin works");
    });

    it("refuses a cross-origin sign-in (login CSRF)", async () => {
      const response = await call(sessionRoute.POST, "POST", "/api/v1/admin/session", { origin: "https://evil.example", body: { email: env.emails.admin, password: PASSWORD } });
      assert.equal(response.status, 403);
      assert.equal(response.headers.get("set-cookie"), null);
    });
  });
}
