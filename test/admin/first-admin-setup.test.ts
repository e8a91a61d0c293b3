/**
 * The first admin account through the setup link `npm start` prints on a fresh embedded ledger:
 * the token works once, for an hour, only while the ledger has no account; the account it makes
 * is signed in, and both are in the admin log. (test/e2e/first-admin.test.ts does it in Chromium.)
 */
import assert from "node:assert/strict";
import { after, beforeEach, describe, it } from "node:test";
import * as setupRoute from "../../app/api/v1/admin/setup/route";
import { listAdminLog } from "../../lib/admin/admin-log";
import { completeFirstAdminSetup, offerFirstAdminSetup, SETUP_PATH, setupRefusal } from "../../lib/admin/first-admin-setup";
import { installAdminSettings } from "../../lib/admin/http/guard";
import { resolveSession } from "../../lib/admin/sessions";
import { readAdminSettings } from "../../lib/admin/settings";
import { currentSetupLink, SETUP_LINK_LIFETIME_MS, SetupLink } from "../../lib/admin/setup-link";
import { createAdminUser, listAdminUsers } from "../../lib/admin/users";
import { readConfig } from "../../lib/config";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { installRuntime } from "../../lib/server/runtime";
import { drivers, freshDatabase, skipReason } from "../support/db";
import { call, TestClock } from "./support/admin-env";

const PASSWORD = "first admin pass phrase";
const CLIENT = { ip: "192.0.2.44", userAgent: "first admin test" };
const settings = readAdminSettings({ ADMIN_COOKIE_SECURE: "0" });

describe("a setup link's token", () => {
  const start = new Date("2026-05-01T10:00:00Z");

  it("works until it is used, and never after", () => {
    const { link, token } = SetupLink.issue(start);
    assert.equal(link.refusal(token, start), null);
    assert.equal(link.claim(token, start), null);
    link.used();
    assert.equal(link.refusal(token, start), "used");
    assert.equal(link.claim(token, start), "used");
  });

  it("works for an hour after it is issued, and not a moment longer", () => {
    const { link, token } = SetupLink.issue(start);
    assert.equal(link.expiresAt.getTime(), start.getTime() + SETUP_LINK_LIFETIME_MS);
    assert.equal(link.refusal(token, new Date(link.expiresAt.getTime() - 1)), null);
    assert.equal(link.refusal(token, link.expiresAt), "expired");
    assert.equal(link.claim(token, new Date(link.expiresAt.getTime() + 1)), "expired");
  });

  it("refuses any other token, and no token at all", () => {
    const { link, token } = SetupLink.issue(start);
    const other = SetupLink.issue(start).token;
    for (const wrong of [other, token.slice(0, -1), `${token}x`, "", undefined, 42, "x".repeat(500)]) assert.equal(link.refusal(wrong, start), "unknown", String(wrong));
  });

  it("lets one attempt at a time hold it, and a failed attempt give it back", () => {
    const { link, token } = SetupLink.issue(start);
    assert.equal(link.claim(token, start), null);
    assert.equal(link.claim(token, start), "in_use");
    link.release();
    assert.equal(link.claim(token, start), null);
  });

  it("never works again once closed because the ledger has an account", () => {
    const { link, token } = SetupLink.issue(start);
    link.close();
    assert.equal(link.refusal(token, start), "closed");
    link.release();
    assert.equal(link.refusal(token, start), "closed");
  });

  it("is a fresh random token each time", () => {
    const tokens = new Set(Array.from({ length: 20 }, () => SetupLink.issue(start).token));
    assert.equal(tokens.size, 20);
    for (const t of tokens) assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  });
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`the first admin account through the setup link on ${driver}`, { skip: skip ?? false }, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let ledger: LedgerContext;
    let clock: TestClock;
    let token: string;

    /** A new setup link on a ledger without accounts; the token from its printed URL. */
    async function offer(): Promise<string> {
      const url = await offerFirstAdminSetup(ledger.db, { embedded: true, origin: "http://localhost:3000", now: clock.now() });
      assert.ok(url, "an embedded ledger without an account is offered a setup link");
      const parsed = new URL(url);
      assert.equal(parsed.pathname, SETUP_PATH);
      return parsed.searchParams.get("token")!;
    }

    after(async () => db?.dispose());
    beforeEach(async () => {
      // Each test starts from a ledger without accounts: accounts are per database, so a new database.
      await db?.dispose();
      db = await freshDatabase(driver);
      clock = new TestClock();
      ledger = await openLedger(db, "setup-test", clock.now);
      token = await offer();
    });

    const setUp = (input: { token?: unknown; email?: unknown; password?: unknown } = {}) =>
      completeFirstAdminSetup(ledger.db, { token, email: "First@Admin.test", password: PASSWORD, ...input }, CLIENT, clock.now(), settings);

    it("creates an admin account, signs it in, and writes both to the admin log", async () => {
      const { user, token: sessionToken } = await setUp();
      assert.equal(user.email, "first@admin.test");
      assert.equal(user.role, "admin");
      const session = await resolveSession(ledger.db, sessionToken, clock.now(), settings);
      assert.equal(session?.email, "first@admin.test");
      const log = await listAdminLog(ledger.db);
      assert.deepEqual(
        log.map((e) => [e.action, e.outcome, e.email, e.details.via, e.ip]),
        [
          ["sign_in", "ok", "first@admin.test", "setup link", CLIENT.ip],
          ["user.create", "ok", "first@admin.test", "setup link", CLIENT.ip],
        ],
      );
    });

    it("works once: a second use is refused, logged, and creates nothing", async () => {
      await setUp();
      await assert.rejects(setUp({ email: "second@admin.test" }), (e: Error & { code?: string }) => e.code === "forbidden" && /used already/.test(e.message));
      assert.deepEqual((await listAdminUsers(ledger.db)).map((u) => u.email), ["first@admin.test"]);
      const [refusal] = await listAdminLog(ledger.db);
      assert.deepEqual([refusal.action, refusal.outcome, refusal.details.reason], ["user.create", "denied", "used"]);
      assert.equal(await setupRefusal(ledger.db, token, clock.now()), "used");
    });

    it("expires an hour after it was printed", async () => {
      clock.advance(SETUP_LINK_LIFETIME_MS);
      assert.equal(await setupRefusal(ledger.db, token, clock.now()), "expired");
      await assert.rejects(setUp(), /expired: it works for one hour/);
      assert.deepEqual(await listAdminUsers(ledger.db), []);
    });

    it("is refused once the ledger has an account, even one made after the link was printed", async () => {
      await createAdminUser(ledger.db, { email: "cli@admin.test", role: "operator", password: PASSWORD });
      await assert.rejects(setUp(), /has an admin account already/);
      assert.equal(await setupRefusal(ledger.db, token, clock.now()), "closed");
      assert.deepEqual((await listAdminUsers(ledger.db)).map((u) => u.email), ["cli@admin.test"]);
    });

    it("is not offered on a ledger that has an account, nor on PostgreSQL", async () => {
      await createAdminUser(ledger.db, { email: "cli@admin.test", role: "admin", password: PASSWORD });
      assert.equal(await offerFirstAdminSetup(ledger.db, { embedded: true, origin: "http://localhost:3000", now: clock.now() }), null);
      assert.equal(currentSetupLink(), null);
      assert.equal(await setupRefusal(ledger.db, token, clock.now()), "none");
      await db.dispose();
      db = await freshDatabase(driver);
      ledger = await openLedger(db, "setup-test", clock.now);
      assert.equal(await offerFirstAdminSetup(ledger.db, { embedded: false, origin: "http://localhost:3000", now: clock.now() }), null);
      await assert.rejects(setUp(), /No setup link is open/);
    });

    it("refuses a wrong token, a bad email or a short password without using up the link", async () => {
      await assert.rejects(setUp({ token: "not-the-token" }), /not valid/);
      await assert.rejects(setUp({ email: "no at sign" }), (e: Error & { code?: string }) => e.code === "invalid_request");
      await assert.rejects(setUp({ password: "too short" }), /at least 12 characters/);
      assert.deepEqual(await listAdminUsers(ledger.db), []);
      assert.equal((await setUp()).user.email, "first@admin.test");
    });

    it("creates one account when two attempts arrive at once", async () => {
      const results = await Promise.allSettled([setUp({ email: "a@admin.test" }), setUp({ email: "b@admin.test" })]);
      assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
      assert.equal((await listAdminUsers(ledger.db)).length, 1);
    });

    it("answers through its route with 201 and the new admin's session cookie, then 403", async () => {
      installRuntime({ config: readConfig({ LEDGER_ID: "setup-test", SEALBOOK_CHAIN: "off" }), handle: db, ledger });
      installAdminSettings(settings);
      const body = { token, email: "route@admin.test", password: PASSWORD };
      const created = await call(setupRoute.POST, "POST", "/api/v1/admin/setup", { body });
      assert.equal(created.status, 201, await created.clone().text());
      assert.deepEqual(((await created.json()) as { role: string }).role, "admin");
      const cookie = created.headers.get("set-cookie") ?? "";
      assert.match(cookie, /^sealbook_admin=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax/);
      const again = await call(setupRoute.POST, "POST", "/api/v1/admin/setup", { body: { ...body, email: "again@admin.test" } });
      assert.equal(again.status, 403);
      assert.equal(((await again.json()) as { code: string }).code, "forbidden");
      const crossSite = await call(setupRoute.POST, "POST", "/api/v1/admin/setup", { body, origin: "https://evil.example" });
      assert.equal(crossSite.status, 403);
    });
  });
}
