/**
 * Limits on the console's inputs and jobs (issue 12): no NUL reaches PostgreSQL, one audit at a
 * time, console and CLI alike (a second is answered 409 `conflict` before anything runs), and the
 * anchor job takes no height it would ignore.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as anchorRoute from "../../app/api/v1/admin/jobs/anchor/route";
import * as auditRoute from "../../app/api/v1/admin/jobs/audit/route";
import * as sessionRoute from "../../app/api/v1/admin/session/route";
import * as signerRoute from "../../app/api/v1/admin/signers/[kid]/route";
import { takeAuditLock } from "../../db/job-lock";
import { drivers, skipReason } from "../support/db";
import { adminEnv, call, readJobStream, type AdminEnv } from "./support/admin-env";

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`admin input and job limits on ${driver}`, { skip: skip ?? false }, () => {
    let env: AdminEnv;
    before(async () => {
      env = await adminEnv(driver);
    });
    after(async () => env?.dispose());

    it("refuses a second audit with 409 conflict while one runs, and runs it once that one is done", async () => {
      const cookie = await env.cookieFor("auditor");
      const running = await takeAuditLock(env.ledger);
      try {
        const refused = await call(auditRoute.POST, "POST", "/api/v1/admin/jobs/audit", { cookie, body: { chain: false } });
        assert.equal(refused.status, 409);
        const problem = (await refused.json()) as { code: string; detail: string };
        assert.equal(problem.code, "conflict");
        assert.match(problem.detail, /Another audit of this ledger is running/);
        await assert.rejects(takeAuditLock(env.ledger), { code: "conflict" }, "the CLI is refused the same way");
      } finally {
        await running.release();
      }
      const { final } = await readJobStream(await call(auditRoute.POST, "POST", "/api/v1/admin/jobs/audit", { cookie, body: { chain: false } }));
      assert.equal(final.type, "result");
      const again = await takeAuditLock(env.ledger);
      await again.release();
    });

    it("refuses a NUL character in an admin body or path parameter with 400, before PostgreSQL sees it", async () => {
      const signIn = await call(sessionRoute.POST, "POST", "/api/v1/admin/session", { body: { email: "a\u0000@sealbook.test", password: "x" } });
      assert.equal(signIn.status, 400);
      assert.equal(((await signIn.json()) as { code: string }).code, "invalid_request");
      const cookie = await env.cookieFor("admin");
      const patch = await call(signerRoute.PATCH, "PATCH", "/api/v1/admin/signers/x", { cookie, body: { label: "a label", organization: null }, params: { kid: "abc\u0000" } });
      assert.equal(patch.status, 400);
      const label = await call(signerRoute.PATCH, "PATCH", "/api/v1/admin/signers/x", { cookie, body: { label: "a\u0000label", organization: null }, params: { kid: "abc" } });
      assert.equal(label.status, 400);
    });

    it("refuses a retryHeight in the anchor job's body instead of logging a height it ignores", async () => {
      const cookie = await env.cookieFor("operator");
      const response = await call(anchorRoute.POST, "POST", "/api/v1/admin/jobs/anchor", { cookie, body: { retryHeight: 3 } });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { code: string }).code, "invalid_request");
    });
  });
}
