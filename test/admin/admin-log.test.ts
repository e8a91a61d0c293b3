/**
 * The admin log: every admin action is written with who, what, when and from where; the console
 * reads it newest first; the database refuses to change or delete it.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import * as logRoute from "../../app/api/v1/admin/log/route";
import * as sessionRoute from "../../app/api/v1/admin/session/route";
import * as sealRoute from "../../app/api/v1/admin/jobs/seal/route";
import * as signersRoute from "../../app/api/v1/admin/signers/route";
import * as signerRoute from "../../app/api/v1/admin/signers/[kid]/route";
import * as revocationRoute from "../../app/api/v1/admin/signers/[kid]/revocation/route";
import { listAdminLog, type AdminLogEntry } from "../../lib/admin/admin-log";
import { submitRecords } from "../../lib/ledger/ingest";
import { drivers, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";
import { adminEnv, call, PASSWORD, readJobStream, type AdminEnv } from "./support/admin-env";

const from = { "x-forwarded-for": "10.1.2.3, 203.0.113.44", "user-agent": "Mozilla/5.0 (admin log test)" };

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`the admin log on ${driver}`, { skip: skip ?? false }, () => {
    let env: AdminEnv;
    before(async () => {
      env = await adminEnv(driver);
    });
    after(async () => env?.dispose());

    it("records sign-ins, failed ones too, with the account, the address and the browser", async () => {
      await call(sessionRoute.POST, "POST", "/api/v1/admin/session", { body: { email: env.emails.auditor, password: "a wrong password" }, headers: from });
      await call(sessionRoute.POST, "POST", "/api/v1/admin/session", { body: { email: env.emails.auditor, password: PASSWORD }, headers: from });
      const [ok, failed] = await listAdminLog(env.ledger.db, { limit: 2 });
      assert.deepEqual(
        [failed.action, failed.outcome, failed.email, failed.role, failed.ip, failed.userAgent, failed.details.reason],
        ["sign_in", "failed", env.emails.auditor, "auditor", "203.0.113.44", from["user-agent"], "wrong password"],
      );
      assert.deepEqual([ok.action, ok.outcome, ok.email, ok.role, ok.ip], ["sign_in", "ok", env.emails.auditor, "auditor", "203.0.113.44"]);
      assert.ok(ok.userId !== null && ok.at.getTime() === env.clock.now().getTime());
    });

    it("records each action with its target and result: seal, signer registration, edit, revocation, sign-out", async () => {
      const cookie = await env.cookieFor("operator");
      const keys = await newKeyPair("EdDSA");
      const registered = await call(signersRoute.POST, "POST", "/api/v1/admin/signers", { cookie, headers: from, body: { jwk: keys.publicJwk, label: "Dr. Logged", organization: "Log Clinic" } });
      assert.equal(registered.status, 201);
      const { signer } = (await registered.json()) as { signer: { kid: string } };
      await call(signerRoute.PATCH, "PATCH", `/api/v1/admin/signers/${signer.kid}`, { cookie, headers: from, params: { kid: signer.kid }, body: { label: "Dr. Logged (renamed)", organization: null } });
      await submitRecords(env.ledger, [await signedRecord(keys.privateJwk, env.ledger.genesisRoot)]);
      const sealed = await readJobStream(await call(sealRoute.POST, "POST", "/api/v1/admin/jobs/seal", { cookie, headers: from }));
      assert.equal(sealed.final.type, "result");
      await call(revocationRoute.POST, "POST", `/api/v1/admin/signers/${signer.kid}/revocation`, { cookie, headers: from, params: { kid: signer.kid }, body: { reason: "Left the clinic" } });
      await call(sessionRoute.DELETE, "DELETE", "/api/v1/admin/session", { cookie, headers: from });

      const entries = (await listAdminLog(env.ledger.db, { limit: 5 })).reverse();
      const summary = (e: AdminLogEntry) => [e.action, e.target, e.outcome, e.email, e.ip];
      assert.deepEqual(entries.map(summary), [
        ["signer.register", signer.kid, "ok", env.emails.operator, "203.0.113.44"],
        ["signer.update", signer.kid, "ok", env.emails.operator, "203.0.113.44"],
        ["seal", "block 1", "ok", env.emails.operator, "203.0.113.44"],
        ["signer.revoke", signer.kid, "ok", env.emails.operator, "203.0.113.44"],
        ["sign_out", null, "ok", env.emails.operator, "203.0.113.44"],
      ]);
      assert.deepEqual(entries[0].details, { label: "Dr. Logged", organization: "Log Clinic", alg: "EdDSA", source: "jwk", created: true });
      assert.deepEqual(entries[2].details, { sealed: { height: 1, entries: 1 } });
      assert.equal(entries[3].details.reason, "Left the clinic");
      assert.ok(entries.every((e) => e.userAgent === from["user-agent"] && e.role === "operator"));
    });

    it("records a role's refused attempt", async () => {
      const cookie = await env.cookieFor("auditor");
      assert.equal((await call(sealRoute.POST, "POST", "/api/v1/admin/jobs/seal", { cookie, headers: from })).status, 403);
      const [entry] = await listAdminLog(env.ledger.db, { limit: 1 });
      assert.deepEqual([entry.action, entry.outcome, entry.email, entry.target], ["access_denied", "denied", env.emails.auditor, "POST /api/v1/admin/jobs/seal"]);
      assert.match(String(entry.details.reason), /Your role \(auditor\) may not do this: it needs the "seal" permission/);
    });

    it("is shown newest first, page by page, to every role", async () => {
      const cookie = await env.cookieFor("auditor");
      const first = (await (await call(logRoute.GET, "GET", "/api/v1/admin/log?limit=3", { cookie })).json()) as { entries: Array<{ id: number }>; nextBefore: number };
      assert.equal(first.entries.length, 3);
      assert.ok(first.entries[0].id > first.entries[1].id && first.entries[1].id > first.entries[2].id);
      const next = (await (await call(logRoute.GET, "GET", `/api/v1/admin/log?limit=3&before=${first.nextBefore}`, { cookie })).json()) as { entries: Array<{ id: number }> };
      assert.ok(next.entries.every((e) => e.id < first.nextBefore));
    });

    it("cannot be changed, deleted or truncated", async () => {
      const refused = async (statement: ReturnType<typeof sql>) =>
        assert.rejects(env.ledger.db.execute(statement), (error: Error) => /append-only/.test(String(error.cause ?? error)));
      await refused(sql`update admin_log set outcome = 'ok' where outcome = 'denied'`);
      await refused(sql`update admin_log set email = 'someone-else@sealbook.test'`);
      await refused(sql`delete from admin_log where action = 'sign_in'`);
      await refused(sql`truncate admin_log`);
    });
  });
}
