/**
 * Limits on the console's jobs (issue 12): one audit at a time, console and CLI alike (a second is
 * answered 409 `conflict` before anything runs), and the anchor job takes no height it would ignore.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as anchorRoute from "../../app/api/v1/admin/jobs/anchor/route";
import * as auditRoute from "../../app/api/v1/admin/jobs/audit/route";
import { takeAuditLock } from "../../lib/ledger/job-lock";
import { drivers, skipReason } from "../support/db";
import { adminEnv, call, readJobStream, type AdminEnv } from "./support/admin-env";

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`job limits on ${driver}`, { skip: skip ?? false }, () => {
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

    it("refuses a retryHeight in the anchor job's body instead of logging a height it ignores", async () => {
      const cookie = await env.cookieFor("operator");
      const response = await call(anchorRoute.POST, "POST", "/api/v1/admin/jobs/anchor", { cookie, body: { retryHeight: 3 } });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { code: string }).code, "invalid_request");
    });
  });
}
