/**
 * Admin sign-in and sessions: argon2id passwords, tokens stored only hashed, httpOnly SameSite=Lax
 * cookies (Secure and __Host- in production), idle and absolute expiry, sign-out, disabled accounts.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import * as passwordRoute from "../../app/api/v1/admin/session/password/route";
import * as sessionRoute from "../../app/api/v1/admin/session/route";
import { installAdminSettings } from "../../lib/admin/http/guard";
import { readAdminSettings } from "../../lib/admin/settings";
import { resolveSession } from "../../lib/admin/sessions";
import { createAdminUser, disableAdminUser } from "../../lib/admin/users";
import { drivers, skipReason } from "../support/db";
import { adminEnv, call, PASSWORD, type AdminEnv } from "./support/admin-env";

const signInBody = (email: string, password = PASSWORD) => ({ body: { email, password }, headers: { "x-forwarded-for": "198.51.100.7", "user-agent": "auth test" } });
const tokenOf = (setCookie: string | null) => /sealbook_admin=([^;]*)/.exec(setCookie ?? "")?.[1] ?? null;

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`admin sign-in and sessions on ${driver}`, { skip: skip ?? false }, () => {
    let env: AdminEnv;
    before(async () => {
      env = await adminEnv(driver);
    });
    after(async () => env?.dispose());

    it("stores passwords as argon2id hashes, never in clear", async () => {
      const [row] = await queryRows<{ password_hash: string }>(env.ledger.db, sql`select password_hash from admin_users where email = ${env.emails.admin}`);
      assert.match(row.password_hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      assert.ok(!row.password_hash.includes(PASSWORD));
      await assert.rejects(createAdminUser(env.ledger.db, { email: "short@sealbook.test", role: "auditor", password: "too short" }), /at least 12 characters/);
      await assert.rejects(createAdminUser(env.ledger.db, { email: env.emails.admin.toUpperCase(), role: "auditor", password: PASSWORD }), /exists already/);
    });

    it("signs in with an httpOnly, SameSite=Lax cookie, and stores only the token's SHA-256", async () => {
      const response = await call(sessionRoute.POST, "POST", "/api/v1/admin/session", signInBody(env.emails.operator.toUpperCase()));
      assert.equal(response.status, 200, await response.clone().text());
      const body = (await response.json()) as { email: string; role: string; permissions: string[] };
      assert.equal(body.email, env.emails.operator);
      assert.equal(body.role, "operator");
      assert.deepEqual(body.permissions, ["read", "seal", "anchor", "signers", "evidence"], "an operator also makes evidence bundles (issue 15)");
      const setCookie = response.headers.get("set-cookie") ?? "";
      assert.match(setCookie, /^sealbook_admin=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43200; Expires=/);
      assert.doesNotMatch(setCookie, /Secure/);
      const token = tokenOf(setCookie)!;
      const stored = await queryRows<{ token_hash: Uint8Array; ip: string; user_agent: string }>(env.ledger.db, sql`select token_hash, ip, user_agent from admin_sessions`);
      assert.ok(stored.every((s) => !Buffer.from(s.token_hash).toString("utf8").includes(token)));
      assert.ok(stored.some((s) => Buffer.from(s.token_hash).equals(createHash("sha256").update(token).digest()) && s.ip === "198.51.100.7" && s.user_agent === "auth test"));

      const me = await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie: `sealbook_admin=${token}` });
      assert.equal(me.status, 200);
      assert.equal(((await me.json()) as { email: string }).email, env.emails.operator);
    });

    it("ends the browser's previous session when it signs in again", async () => {
      const old = await env.cookieFor("auditor");
      const again = await call(sessionRoute.POST, "POST", "/api/v1/admin/session", { ...signInBody(env.emails.auditor), cookie: old });
      assert.equal(again.status, 200);
      assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie: old })).status, 401, "the old token is dead");
      assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie: `sealbook_admin=${tokenOf(again.headers.get("set-cookie"))}` })).status, 200);
    });

    it("answers 401 for a wrong password or an unknown account, alike", async () => {
      for (const [email, password] of [
        [env.emails.admin, "not the password at all"],
        ["nobody@sealbook.test", PASSWORD],
      ]) {
        const response = await call(sessionRoute.POST, "POST", "/api/v1/admin/session", signInBody(email, password));
        assert.equal(response.status, 401);
        const problem = (await response.json()) as { code: string; detail: string };
        assert.equal(problem.code, "unauthorized");
        assert.equal(problem.detail, "The email address or the password is wrong.");
        assert.equal(response.headers.get("set-cookie"), null);
      }
    });

    it("ends a session after the idle time, and at its end however busy", async () => {
      const cookie = await env.cookieFor("auditor");
      const token = cookie.split("=")[1];
      const live = () => resolveSession(env.ledger.db, token, env.clock.now(), env.settings);
      assert.ok(await live());
      env.clock.advance(env.settings.sessionIdleMs - 60_000);
      assert.ok(await live(), "used before the idle time ran out");
      env.clock.advance(env.settings.sessionIdleMs - 60_000);
      assert.ok(await live(), "each use keeps it alive for another idle period");
      env.clock.advance(env.settings.sessionIdleMs + 1);
      assert.equal(await live(), null, "idle too long");
      const [{ n }] = await queryRows<{ n: string | number }>(env.ledger.db, sql`select count(*) as n from admin_sessions where token_hash = ${createHash("sha256").update(token).digest()}`);
      assert.equal(Number(n), 0, "an ended session's row is deleted");

      const busy = (await env.cookieFor("auditor")).split("=")[1];
      for (let spent = 0; spent < env.settings.sessionMaxMs - 20 * 60_000; spent += 20 * 60_000) {
        env.clock.advance(20 * 60_000);
        assert.ok(await resolveSession(env.ledger.db, busy, env.clock.now(), env.settings), `still alive after ${spent / 60_000} minutes`);
      }
      env.clock.advance(40 * 60_000);
      assert.equal(await resolveSession(env.ledger.db, busy, env.clock.now(), env.settings), null, "past its absolute end");
    });

    it("signs out: the session ends and the cookie is cleared", async () => {
      const cookie = await env.cookieFor("admin");
      const out = await call(sessionRoute.DELETE, "DELETE", "/api/v1/admin/session", { cookie });
      assert.equal(out.status, 204);
      assert.match(out.headers.get("set-cookie") ?? "", /^sealbook_admin=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0/);
      assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie })).status, 401);
    });

    it("ends the sessions of a disabled account, which can no longer sign in", async () => {
      await createAdminUser(env.ledger.db, { email: "leaving@sealbook.test", role: "operator", password: PASSWORD });
      const response = await call(sessionRoute.POST, "POST", "/api/v1/admin/session", signInBody("leaving@sealbook.test"));
      const cookie = `sealbook_admin=${tokenOf(response.headers.get("set-cookie"))}`;
      assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie })).status, 200);
      await disableAdminUser(env.ledger.db, "leaving@sealbook.test", env.clock.now());
      assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie })).status, 401);
      assert.equal((await call(sessionRoute.POST, "POST", "/api/v1/admin/session", signInBody("leaving@sealbook.test"))).status, 401);
    });

    it("changes one's own password: the old one stops working, other sessions end, this one stays, and it is logged", async () => {
      await createAdminUser(env.ledger.db, { email: "rotating@sealbook.test", role: "auditor", password: PASSWORD });
      const signInAs = async (password = PASSWORD) => call(sessionRoute.POST, "POST", "/api/v1/admin/session", signInBody("rotating@sealbook.test", password));
      const here = `sealbook_admin=${tokenOf((await signInAs()).headers.get("set-cookie"))}`;
      const elsewhere = `sealbook_admin=${tokenOf((await signInAs()).headers.get("set-cookie"))}`;
      const change = (cookie: string, currentPassword: string, newPassword: string) =>
        call(passwordRoute.POST, "POST", "/api/v1/admin/session/password", { cookie, body: { currentPassword, newPassword } });
      const NEW = "a new and rather longer passphrase";

      // Refused, changing nothing: a wrong current password, a short new one, the same one again.
      for (const [current, next, detail] of [
        ["not the password at all", NEW, /current password is not right/],
        [PASSWORD, "short", /at least 12 characters/],
        [PASSWORD, PASSWORD, /must differ/],
      ] as const) {
        const refused = await change(here, current, next);
        assert.equal(refused.status, 400);
        assert.match(((await refused.json()) as { detail: string }).detail, detail);
      }
      assert.equal((await signInAs()).status, 200, "the password is unchanged after the refusals");
      assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie: elsewhere })).status, 200);

      const changed = await change(here, PASSWORD, NEW);
      assert.equal(changed.status, 200, await changed.clone().text());
      assert.ok(((await changed.json()) as { endedSessions: number }).endedSessions >= 2, "the other sessions ended (the one above included)");
      assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie: here })).status, 200, "this session stays");
      assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie: elsewhere })).status, 401, "another session ended");
      assert.equal((await signInAs()).status, 401, "the old password no longer signs in");
      assert.equal((await signInAs(NEW)).status, 200, "the new one does");

      const logged = await queryRows<{ outcome: string }>(
        env.ledger.db,
        sql`select outcome from admin_log where action = 'user.password' and target = 'rotating@sealbook.test' order by id`,
      );
      assert.deepEqual(logged.map((r) => r.outcome), ["failed", "failed", "failed", "ok"]);
      assert.equal((await change("", NEW, PASSWORD)).status, 401, "no session, no change");
    });

    it("signs the account out everywhere after five wrong current passwords on the password form", async () => {
      await createAdminUser(env.ledger.db, { email: "guessed@sealbook.test", role: "operator", password: PASSWORD });
      const signInAs = async () => `sealbook_admin=${tokenOf((await call(sessionRoute.POST, "POST", "/api/v1/admin/session", signInBody("guessed@sealbook.test"))).headers.get("set-cookie"))}`;
      const owner = await signInAs();
      const thief = await signInAs();
      const guess = (n: number) =>
        call(passwordRoute.POST, "POST", "/api/v1/admin/session/password", { cookie: thief, body: { currentPassword: `guess number ${n}`, newPassword: "the thief's own password" } });
      for (let n = 1; n <= 4; n++) assert.equal((await guess(n)).status, 400, `guess ${n}`);
      assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie: owner })).status, 200, "four guesses end nothing");
      const fifth = await guess(5);
      assert.equal(fifth.status, 401);
      assert.match(((await fifth.json()) as { detail: string }).detail, /5 wrong current passwords in a row: every session of this account was signed out/);
      assert.match(fifth.headers.get("set-cookie") ?? "", /Max-Age=0/);
      for (const cookie of [owner, thief]) assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie })).status, 401);
      // The account itself is not locked: its owner signs in again with the password, unchanged.
      const again = await signInAs();
      assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie: again })).status, 200);
      assert.equal((await guess(6)).status, 401, "the thief's session is gone");
    });

    it("uses a Secure __Host- cookie in production, and refuses to sign in over plain HTTP to another host", async () => {
      const production = readAdminSettings({ NODE_ENV: "production" });
      assert.equal(production.secureCookies, true);
      installAdminSettings({ ...production, ...{ maxFailuresPerPair: 50, maxFailuresPerAccount: 50, maxFailuresPerAddress: 50 } });
      try {
        const local = await call(sessionRoute.POST, "POST", "/api/v1/admin/session", signInBody(env.emails.admin));
        assert.equal(local.status, 200, "loopback is allowed over HTTP");
        assert.match(local.headers.get("set-cookie") ?? "", /^__Host-sealbook_admin=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure; Max-Age=/);
        const token = /__Host-sealbook_admin=([^;]*)/.exec(local.headers.get("set-cookie")!)![1];
        assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie: `sealbook_admin=${token}` })).status, 401, "only the __Host- cookie counts");
        assert.equal((await call(sessionRoute.GET, "GET", "/api/v1/admin/session", { cookie: `__Host-sealbook_admin=${token}` })).status, 200);

        const remote = await call(sessionRoute.POST, "POST", "/api/v1/admin/session", {
          ...signInBody(env.emails.admin),
          origin: "http://ledger.example.org",
          headers: { host: "ledger.example.org", "x-forwarded-proto": "http" },
        });
        assert.equal(remote.status, 400);
        assert.match(((await remote.json()) as { detail: string }).detail, /Sign in over HTTPS/);
      } finally {
        installAdminSettings(env.settings);
      }
    });
  });
}
