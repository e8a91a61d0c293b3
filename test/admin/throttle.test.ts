/**
 * Sign-in throttling: repeated failures for one account, or from one address, are answered 429
 * rate_limited with Retry-After, before the password is even checked; the wait is what it says.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as sessionRoute from "../../app/api/v1/admin/session/route";
import { THROTTLE_DEFAULTS } from "../../lib/admin/settings";
import { drivers, skipReason } from "../support/db";
import { adminEnv, call, PASSWORD, type AdminEnv } from "./support/admin-env";

const WINDOW = THROTTLE_DEFAULTS.throttleWindowMs;

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`sign-in throttling on ${driver}`, { skip: skip ?? false }, () => {
    let env: AdminEnv;
    before(async () => {
      env = await adminEnv(driver);
    });
    after(async () => env?.dispose());

    const attempt = (email: string, password: string, ip: string) =>
      call(sessionRoute.POST, "POST", "/api/v1/admin/session", { body: { email, password }, headers: { "x-forwarded-for": ip } });

    it(`refuses an account after ${THROTTLE_DEFAULTS.maxFailuresPerAccount} failures with 429 and Retry-After, even with the right password`, async () => {
      const email = env.emails.operator;
      for (let i = 0; i < THROTTLE_DEFAULTS.maxFailuresPerAccount; i++) {
        assert.equal((await attempt(email, `wrong guess ${i}`, `203.0.113.${i + 1}`)).status, 401, `failure ${i + 1}`);
        env.clock.advance(10_000);
      }
      const refused = await attempt(email, PASSWORD, "203.0.113.99");
      assert.equal(refused.status, 429);
      const problem = (await refused.json()) as { code: string; detail: string; details: { retryAfterSeconds: number; scope: string } };
      assert.equal(problem.code, "rate_limited");
      assert.equal(problem.details.scope, "account");
      const retryAfter = Number(refused.headers.get("retry-after"));
      assert.equal(retryAfter, problem.details.retryAfterSeconds);
      // The first failure leaves the window 15 minutes after it: 50 s of the window have passed since.
      assert.equal(retryAfter, WINDOW / 1000 - 50);
      assert.match(problem.detail, /Too many failed sign-ins for this account\. Try again in \d+ seconds/);

      env.clock.advance((retryAfter - 1) * 1000);
      assert.equal((await attempt(email, PASSWORD, "203.0.113.99")).status, 429, "one second early");
      env.clock.advance(1000);
      assert.equal((await attempt(email, PASSWORD, "203.0.113.99")).status, 200, "heard again when told");
    });

    it("counts failures per account since its last successful sign-in", async () => {
      const email = env.emails.auditor;
      for (let i = 0; i < THROTTLE_DEFAULTS.maxFailuresPerAccount - 1; i++) assert.equal((await attempt(email, "wrong guess", "203.0.113.50")).status, 401);
      assert.equal((await attempt(email, PASSWORD, "203.0.113.50")).status, 200);
      env.clock.advance(1000);
      for (let i = 0; i < THROTTLE_DEFAULTS.maxFailuresPerAccount - 1; i++) assert.equal((await attempt(email, "wrong guess", "203.0.113.51")).status, 401);
      env.clock.advance(1000);
      assert.equal((await attempt(email, PASSWORD, "203.0.113.51")).status, 200, "the success reset the count");
    });

    it("throttles unknown accounts the same way, so that the answer tells nothing", async () => {
      for (let i = 0; i < THROTTLE_DEFAULTS.maxFailuresPerAccount; i++) assert.equal((await attempt("ghost@sealbook.test", "whatever it is", `203.0.113.${70 + i}`)).status, 401);
      assert.equal((await attempt("ghost@sealbook.test", "whatever it is", "203.0.113.80")).status, 429);
    });

    it(`refuses an address after ${THROTTLE_DEFAULTS.maxFailuresPerAddress} failures, whatever accounts they named`, async () => {
      env.clock.advance(WINDOW);
      const ip = "198.51.100.200";
      for (let i = 0; i < THROTTLE_DEFAULTS.maxFailuresPerAddress; i++) {
        assert.equal((await attempt(`user${i}@sealbook.test`, "wrong guess", ip)).status, 401, `failure ${i + 1}`);
      }
      const refused = await attempt(env.emails.admin, PASSWORD, ip);
      assert.equal(refused.status, 429);
      assert.equal(((await refused.json()) as { details: { scope: string } }).details.scope, "address");
      assert.equal((await attempt(env.emails.admin, PASSWORD, "198.51.100.201")).status, 200, "another address is heard");
    });

    it("reads the address from the last X-Forwarded-For entry, which the server appends (a client cannot choose it)", async () => {
      env.clock.advance(WINDOW);
      const peer = "192.0.2.77";
      for (let i = 0; i < THROTTLE_DEFAULTS.maxFailuresPerAddress; i++) {
        assert.equal((await attempt(`spoof${i}@sealbook.test`, "wrong guess", `10.0.0.${i}, ${peer}`)).status, 401);
      }
      assert.equal((await attempt(env.emails.admin, PASSWORD, `10.9.9.9, ${peer}`)).status, 429);
    });
  });
}
