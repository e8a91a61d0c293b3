/**
 * Sign-in throttling (lib/admin/throttle.ts): failures of one account from one address meet
 * growing delays; failures spread over many addresses, or many accounts tried from one address,
 * hold back only addresses the account never signed in from, so that nobody can lock its owner
 * out. A refused attempt is answered 429 rate_limited with Retry-After before the password is
 * checked, and a parallel burst is heard in turn: only the limit is evaluated.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as sessionRoute from "../../app/api/v1/admin/session/route";
import * as passwordRoute from "../../app/api/v1/admin/session/password/route";
import { THROTTLE_DEFAULTS } from "../../lib/admin/settings";
import { PAIR_DELAY_MS } from "../../lib/admin/throttle";
import { createAdminUser } from "../../lib/admin/users";
import { drivers, skipReason } from "../support/db";
import { adminEnv, call, PASSWORD, type AdminEnv } from "./support/admin-env";

const WINDOW = THROTTLE_DEFAULTS.throttleWindowMs;
const PAIR = THROTTLE_DEFAULTS.maxFailuresPerPair;

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
    const scopeOf = async (response: Response) => ((await response.json()) as { details: { scope: string } }).details.scope;

    it(`holds an account back at one address after ${PAIR} failures there, with delays that grow, even for the right password`, async () => {
      const email = env.emails.operator;
      const ip = "203.0.113.1";
      for (let i = 0; i < PAIR; i++) assert.equal((await attempt(email, `wrong guess ${i}`, ip)).status, 401, `failure ${i + 1}`);
      const refused = await attempt(email, PASSWORD, ip);
      assert.equal(refused.status, 429);
      const problem = (await refused.json()) as { code: string; detail: string; details: { retryAfterSeconds: number; scope: string } };
      assert.equal(problem.code, "rate_limited");
      assert.equal(problem.details.scope, "pair");
      assert.equal(Number(refused.headers.get("retry-after")), PAIR_DELAY_MS / 1000);
      assert.match(problem.detail, /Too many failed sign-ins for this account\. Try again in \d+ seconds/);

      env.clock.advance(PAIR_DELAY_MS);
      assert.equal((await attempt(email, "one more wrong guess", ip)).status, 401, "heard again when told");
      const longer = await attempt(email, PASSWORD, ip);
      assert.equal(longer.status, 429);
      assert.equal(Number(longer.headers.get("retry-after")), (2 * PAIR_DELAY_MS) / 1000, "the next delay is twice as long");
      env.clock.advance(2 * PAIR_DELAY_MS);
      assert.equal((await attempt(email, PASSWORD, ip)).status, 200);
    });

    it("lets the owner in from an address it signed in from, however many strangers guessed its password", async () => {
      const email = env.emails.auditor;
      assert.equal((await attempt(email, PASSWORD, "198.51.100.7")).status, 200, "the owner's usual address");
      env.clock.advance(1000);
      for (let i = 0; i < THROTTLE_DEFAULTS.maxFailuresPerAccount; i++) assert.equal((await attempt(email, "wrong guess", `203.0.113.${100 + i}`)).status, 401);
      const stranger = await attempt(email, PASSWORD, "203.0.113.200");
      assert.equal(stranger.status, 429, "a new address waits");
      assert.equal(await scopeOf(stranger), "account");
      assert.equal((await attempt(email, PASSWORD, "198.51.100.7")).status, 200, "the owner's address is heard");
    });

    it("throttles unknown accounts the same way, so that the answer tells nothing", async () => {
      for (let i = 0; i < PAIR; i++) assert.equal((await attempt("ghost@sealbook.test", "whatever it is", "203.0.113.70")).status, 401);
      assert.equal((await attempt("ghost@sealbook.test", "whatever it is", "203.0.113.70")).status, 429);
    });

    it(`holds an address back after ${THROTTLE_DEFAULTS.maxFailuresPerAddress} failures over many accounts, except for accounts that signed in from it`, async () => {
      env.clock.advance(WINDOW);
      const proxy = "198.51.100.200";
      assert.equal((await attempt(env.emails.admin, PASSWORD, proxy)).status, 200, "the admin signed in through this proxy before");
      for (let i = 0; i < THROTTLE_DEFAULTS.maxFailuresPerAddress; i++) {
        assert.equal((await attempt(`user${i}@sealbook.test`, "wrong guess", proxy)).status, 401, `failure ${i + 1}`);
      }
      const refused = await attempt(env.emails.operator, PASSWORD, proxy);
      assert.equal(refused.status, 429);
      assert.equal(await scopeOf(refused), "address");
      assert.equal((await attempt(env.emails.admin, PASSWORD, proxy)).status, 200, "a known account is still heard behind the busy address");
      assert.equal((await attempt(env.emails.operator, PASSWORD, "198.51.100.201")).status, 200, "another address is heard");
    });

    it("reads the address from the last X-Forwarded-For entry, which the server appends (a client cannot choose it)", async () => {
      env.clock.advance(WINDOW);
      const peer = "192.0.2.77";
      for (let i = 0; i < THROTTLE_DEFAULTS.maxFailuresPerAddress; i++) {
        assert.equal((await attempt(`spoof${i}@sealbook.test`, "wrong guess", `10.0.0.${i}, ${peer}`)).status, 401);
      }
      assert.equal((await attempt(env.emails.operator, PASSWORD, `10.9.9.9, ${peer}`)).status, 429);
    });

    it(`evaluates at most ${PAIR} of 50 parallel wrong guesses, and refuses the right password after them`, async () => {
      env.clock.advance(WINDOW);
      await createAdminUser(env.ledger.db, { email: "burst@sealbook.test", role: "auditor", password: PASSWORD });
      const ip = "203.0.113.222";
      const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => attempt("burst@sealbook.test", `wrong guess ${i}`, ip).then((r) => r.status)));
      assert.equal(statuses.filter((s) => s === 401).length, PAIR, "evaluated");
      assert.equal(statuses.filter((s) => s === 429).length, 50 - PAIR, "refused unheard");
      assert.equal((await attempt("burst@sealbook.test", PASSWORD, ip)).status, 429);
    });

    it(`evaluates at most ${PAIR} of 29 parallel wrong current passwords, and the right one after them changes nothing`, async () => {
      env.clock.advance(WINDOW);
      await createAdminUser(env.ledger.db, { email: "stolen@sealbook.test", role: "operator", password: PASSWORD });
      const signedIn = await attempt("stolen@sealbook.test", PASSWORD, "192.0.2.150");
      const cookie = `sealbook_admin=${/sealbook_admin=([^;]*)/.exec(signedIn.headers.get("set-cookie") ?? "")![1]}`;
      const change = (current: string) =>
        call(passwordRoute.POST, "POST", "/api/v1/admin/session/password", { cookie, body: { currentPassword: current, newPassword: "the thief's own password" } }).then((r) => r.status);
      const statuses = await Promise.all(Array.from({ length: 29 }, (_, i) => change(`guess ${i}`)));
      assert.equal(statuses.filter((s) => s === 400).length, PAIR - 1, "wrong, and heard");
      assert.equal(statuses.filter((s) => s === 401).length, 29 - (PAIR - 1), "the fifth signs out everywhere; the rest are refused unheard or unsigned-in");
      assert.equal(await change(PASSWORD), 401, "the right one comes too late");
      assert.equal((await attempt("stolen@sealbook.test", PASSWORD, "192.0.2.150")).status, 200, "the password is unchanged");
    });
  });
}
