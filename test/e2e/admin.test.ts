/**
 * The admin console in a real browser (Debian's Chromium, driven by playwright-core) against the
 * whole system as `npm start` runs it, on a fresh PostgreSQL database: sign in, register a signer
 * from its X.509 certificate, submit records it signed through the API, seal now, anchor now, see
 * the block anchored on the public page, trust a certification centre, run the audit, read the log,
 * sign out, and be throttled after wrong passwords. Every console page and admin route is also
 * walked over HTTP without a session and with a role that may not open it.
 * Run: npm run test:e2e (with the portal tests)
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { can, type AdminRole, type Permission } from "../../lib/admin/roles";
import { createAdminUser } from "../../lib/admin/users";
import { openLedger } from "../../lib/ledger/context";
import { signRecord } from "../../lib/protocol/sign";
import { publicSignerKey, signerKid } from "../../lib/protocol/signer-key";
import { adminPageFiles, adminRouteFiles, HTTP_METHODS, pageGuard, PUBLIC_PAGES, urlPathOf } from "../admin/support/admin-routes";
import { rootCa, signerCertificate, type TestSigner } from "../admin/support/pki";
import { freshDatabase, skipReason } from "../support/db";
import { payload } from "../support/records";
import { waitForAnchoring } from "./support/anchoring";
import { assertAccessible, browserSkipReason, launchBrowser, saveScreenshot } from "./support/browser";
import { freePortIn, startPortalServer, type PortalServer } from "./support/portal-server";

const skip = browserSkipReason() ?? (await skipReason("postgres"));
if (skip) console.log(`# skipping the admin console browser tests: ${skip}`);

const LEDGER_ID = "e2e-admin";
const PASSWORD = "e2e admin pass phrase";
const EMAILS: Record<AdminRole, string> = { admin: "admin@e2e.test", operator: "operator@e2e.test", auditor: "auditor@e2e.test" };

describe("the admin console in a browser", { skip: skip ?? false }, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let server: PortalServer;
  let dataDir: string;
  let browser: Browser;
  let admin: BrowserContext;
  let signer: TestSigner;
  const url = (p: string) => `${server.baseUrl}${p}`;

  before(async () => {
    db = await freshDatabase("postgres");
    const ledger = await openLedger(db, LEDGER_ID);
    for (const role of Object.keys(EMAILS) as AdminRole[]) await createAdminUser(ledger.db, { email: EMAILS[role], role, password: PASSWORD });
    dataDir = await mkdtemp(path.join(tmpdir(), "sealbook-admin-e2e-"));
    server = await startPortalServer({
      portRange: [3400, 3499],
      env: {
        DATABASE_URL: db.url!,
        LEDGER_ID,
        SEALBOOK_DEMO: "0",
        SEALBOOK_DATA_DIR: dataDir,
        // Nothing seals or anchors by itself: the console's "Seal now" and "Anchor now" do (the first
        // anchoring pass at start only deploys the local registry).
        SEAL_INTERVAL_SECONDS: "0",
        ANCHOR_INTERVAL_SECONDS: "3600",
        HARDHAT_PORT: String(await freePortIn(8900, 8999)),
        CONFIRMATIONS: "1",
      },
    });
    const chain = await waitForAnchoring(server.baseUrl, 0);
    assert.ok(!("skip" in chain), `the local chain should be up: ${"skip" in chain ? chain.skip : ""}`);
    browser = await launchBrowser();
    admin = await browser.newContext({ acceptDownloads: true });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await db?.dispose();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** A link of the console's own navigation (the portal's has a "Signers" too). */
  const consoleLink = (page: Page, name: string) => page.getByRole("navigation", { name: "Admin console" }).getByRole("link", { name, exact: true });

  /** Signs in through the form; returns the page, on the dashboard. */
  async function signIn(context: BrowserContext, email: string, password = PASSWORD): Promise<Page> {
    const page = await context.newPage();
    await page.goto(url("/admin"));
    await page.waitForURL("**/admin/sign-in?next=%2Fadmin");
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(url("/admin"));
    return page;
  }

  /** The Cookie header of a context's session, for HTTP requests made outside the browser. */
  async function cookieOf(context: BrowserContext): Promise<string> {
    const cookies = await context.cookies(server.baseUrl);
    return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  }

  const submit = async (jws: string) => {
    const response = await fetch(url("/api/v1/records"), { method: "POST", headers: { "content-type": "application/jose" }, body: jws });
    assert.equal(response.status, 201, await response.text());
  };
  const headRoot = async () => ((await (await fetch(url("/api/v1/ledger"))).json()) as { head: { root: `0x${string}` } }).head.root;

  it("sends every console page to sign-in, and answers 401 on every admin route, without a session", async () => {
    for (const { file } of adminPageFiles()) {
      const { path: pagePath } = urlPathOf(file);
      const response = await fetch(url(pagePath), { redirect: "manual" });
      if (PUBLIC_PAGES.has(pagePath)) {
        assert.equal(response.status, 200, pagePath);
        continue;
      }
      assert.equal(response.status, 307, `${pagePath} without a session`);
      assert.equal(response.headers.get("location"), `/admin/sign-in?next=${encodeURIComponent(pagePath)}`);
      assert.equal(response.headers.get("x-frame-options"), "DENY");
    }
    for (const file of adminRouteFiles()) {
      const mod = (await import(file)) as Record<string, unknown>;
      const { path: routePath } = urlPathOf(file);
      const access = (m: string) => (mod[m] as { access?: string } | undefined)?.access;
      for (const method of HTTP_METHODS.filter((m) => typeof mod[m] === "function" && access(m) !== "public")) {
        const response = await fetch(url(routePath), { method, headers: { origin: server.baseUrl, "content-type": "application/json" }, body: method === "GET" ? undefined : "{}" });
        assert.equal(response.status, 401, `${method} ${routePath} without a session`);
      }
    }
  });

  it("signs in, registers a signer from its X.509 certificate, seals and anchors its records, and the public page shows the block anchored", async () => {
    const page = await signIn(admin, EMAILS.admin);
    assert.match((await page.textContent("main")) ?? "", new RegExp(`Signed in as ${EMAILS.admin} \\(admin\\)`));
    const cookie = (await admin.cookies(server.baseUrl)).find((c) => c.name.endsWith("sealbook_admin"));
    // npm start runs in production: a Secure __Host- cookie, which Chromium keeps on http://localhost too.
    assert.ok(cookie?.name === "__Host-sealbook_admin" && cookie.secure && cookie.httpOnly && cookie.sameSite === "Lax" && cookie.path === "/", JSON.stringify(cookie));
    await assertAccessible(page, "the dashboard");

    // Register the signer from its certificate file.
    const ca = await rootCa("CN=E2E Root CA, O=Sealbook e2e");
    signer = await signerCertificate(ca, { name: "CN=Dr. E2E Example, O=E2E Clinic" });
    await consoleLink(page, "Signers").click();
    await page.waitForURL("**/admin/signers");
    await page.getByLabel("Certificate file").setInputFiles({ name: "signer.pem", mimeType: "application/x-pem-file", buffer: Buffer.from(signer.cert.toString("pem")) });
    await page.getByRole("button", { name: "Register the key" }).click();
    await page.getByRole("status").filter({ hasText: "Registered" }).waitFor();
    const card = page.getByRole("listitem").filter({ hasText: "Dr. E2E Example" });
    assert.match((await card.textContent()) ?? "", /E2E Clinic[\s\S]*Uploaded by an admin/);
    await assertAccessible(page, "the signers page");
    await saveScreenshot(page, "admin-signers");

    // Three records signed by it, through the public API.
    const root = await headRoot();
    for (let i = 0; i < 3; i++) await submit(await signRecord(signer.privateJwk, payload(root)));

    await consoleLink(page, "Dashboard").click();
    await page.waitForURL(url("/admin"));
    assert.match((await page.getByRole("region", { name: /^Ledger/ }).textContent()) ?? "", /Pending entries\s*3/);
    // The receipts' promises: the three pending entries are well within their sealBy.
    assert.match((await page.getByRole("region", { name: "Sealing promises" }).textContent()) ?? "", /Kept/);
    await page.getByRole("button", { name: "Seal now" }).click();
    await page.getByRole("status").filter({ hasText: "Sealed block 1 with 3 entries." }).waitFor({ timeout: 30_000 });
    await page.getByRole("button", { name: "Anchor now" }).click();
    await page.getByRole("status").filter({ hasText: "Anchored and confirmed up to block 1 of 1." }).waitFor({ timeout: 90_000 });
    await saveScreenshot(page, "admin-dashboard");
    assert.match((await page.getByRole("log", { name: "Anchor now: progress" }).textContent()) ?? "", /Anchoring as 0x[0-9a-fA-F]{40}/);

    await consoleLink(page, "Anchors").click();
    await page.waitForURL("**/admin/anchors");
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "1", exact: true }) });
    const rowText = (await row.textContent()) ?? "";
    assert.match(rowText, /Confirmed/);
    const txHash = /0x[0-9a-f]{64}/.exec(rowText)?.[0];
    assert.ok(txHash, `the anchors page shows the transaction: ${rowText}`);
    await assertAccessible(page, "the anchors page");
    await saveScreenshot(page, "admin-anchors");

    const publicPage = await admin.newPage();
    await publicPage.goto(url("/blocks/1"));
    const anchoring = publicPage.getByRole("region", { name: "Anchoring on the blockchain" });
    const anchoringText = (await anchoring.textContent()) ?? "";
    assert.match(anchoringText, /Anchored/);
    assert.doesNotMatch(anchoringText, /Not anchored yet/);
    assert.ok(anchoringText.includes(txHash), "the public block page names the anchoring transaction");
    await publicPage.close();
  });

  it("trusts a certification centre, after which a record carrying its x5c chain registers its signer", async () => {
    const page = await admin.newPage();
    await page.goto(url("/admin/certification-centers"));
    const centre = await rootCa("CN=E2E Health Certification Centre, O=E2E");
    await page.getByLabel("CA certificate file").setInputFiles({ name: "ca.pem", mimeType: "application/x-pem-file", buffer: Buffer.from(centre.pem) });
    await page.getByRole("button", { name: "Trust this centre" }).click();
    await page.getByRole("status").filter({ hasText: "Now trusted" }).waitFor();
    await assertAccessible(page, "the certification centres page");

    const nurse = await signerCertificate(centre, { name: "CN=Nurse X5C, O=Ward 9" });
    await submit(await signRecord(nurse.privateJwk, payload(await headRoot()), { x5c: [nurse.x5c] }));
    await page.goto(url("/admin/signers"));
    assert.match((await page.getByRole("listitem").filter({ hasText: "Nurse X5C" }).textContent()) ?? "", /Registered through the trusted centre CN=E2E Health Certification Centre/);
    await page.close();
  });

  it("runs the audit with --chain, shows the report and downloads it as JSON", async () => {
    const page = await admin.newPage();
    await page.goto(url("/admin/audit"));
    await page.getByRole("button", { name: "Run the audit" }).click();
    await page.getByRole("status").filter({ hasText: "The audit found nothing wrong." }).waitFor({ timeout: 60_000 });
    assert.match((await page.getByRole("region", { name: "Audit report" }).textContent()) ?? "", /compared with registry 0x/);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download report (JSON)" }).click()]);
    const file = await download.path();
    const report = JSON.parse(await readFile(file!, "utf8")) as { ok: boolean; ledgerId: string; chain: { compared: boolean } };
    assert.deepEqual([report.ok, report.ledgerId, report.chain.compared], [true, LEDGER_ID, true]);
    await assertAccessible(page, "the audit page");
    await saveScreenshot(page, "admin-audit");

    await page.goto(url("/admin/log"));
    const log = (await page.getByRole("region", { name: "Admin log entries" }).textContent()) ?? "";
    for (const action of ["sign_in", "signer.register", "seal", "anchor", "certification_center.trust", "audit"]) assert.ok(log.includes(action), `the log shows ${action}`);
    await assertAccessible(page, "the admin log");
    await page.close();
  });

  it("makes an evidence bundle on the Evidence page: searches, shows what it holds, downloads it, and logs it", async () => {
    const { d: _private, ...publicPart } = signer.privateJwk;
    const kid = await signerKid(publicSignerKey(publicPart).publicJwk);
    const page = await admin.newPage();
    await page.goto(url("/admin/evidence"));
    await page.getByTestId("evidence-by-signer").check();
    await page.getByTestId("evidence-kid").fill(kid);
    await page.getByTestId("evidence-from").fill("2000-01-01T00:00");
    await page.getByTestId("evidence-to").fill("2100-01-01T00:00");
    await page.getByTestId("evidence-search").click();
    await page.getByTestId("evidence-preview").waitFor();
    assert.match((await page.getByTestId("evidence-included").textContent()) ?? "", /^3 record\(s\), sealed and anchored/);
    assert.match((await page.getByTestId("evidence-preview").textContent()) ?? "", /Block headers 1 to 1/);
    await assertAccessible(page, "the evidence page");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("evidence-download").click()]);
    assert.match(download.suggestedFilename(), /\.sealbook\.json$/);
    const bundle = JSON.parse(await readFile((await download.path())!, "utf8")) as { type: string; items: Array<{ jws?: string; signer: { kid: string } }> };
    assert.equal(bundle.type, "sealbook.evidence");
    assert.equal(bundle.items.length, 3);
    assert.ok(bundle.items.every((i) => i.jws && i.signer.kid === kid));
    await saveScreenshot(page, "admin-evidence");
    await page.goto(url("/admin/log"));
    assert.ok(((await page.getByRole("region", { name: "Admin log entries" }).textContent()) ?? "").includes("evidence"), "the log shows the bundle made");
    await page.close();
  });

  it("gives each role only its pages and routes: 403 otherwise", async () => {
    const pages = adminPageFiles().filter(({ file }) => !PUBLIC_PAGES.has(urlPathOf(file).path));
    for (const role of ["operator", "auditor"] as const) {
      const context = await browser.newContext();
      const page = await signIn(context, EMAILS[role]);
      for (const { file, source } of pages) {
        const { path: pagePath } = urlPathOf(file);
        const response = await page.goto(url(pagePath));
        const permission = pageGuard(source)!.permission as Permission;
        assert.equal(response?.status(), can(role, permission) ? 200 : 403, `${role} opening ${pagePath}`);
      }
      // No control for what the role may not do.
      await page.goto(url("/admin"));
      assert.equal(await page.getByRole("button", { name: "Seal now" }).count(), role === "operator" ? 1 : 0);
      await page.goto(url("/admin/certification-centers"));
      assert.equal(await page.getByRole("button", { name: "Trust this centre" }).count(), 0);
      const sealed = await fetch(url("/api/v1/admin/jobs/seal"), { method: "POST", headers: { cookie: await cookieOf(context), origin: server.baseUrl, "content-type": "application/json" }, body: "{}" });
      assert.equal(sealed.status, role === "operator" ? 200 : 403);
      await sealed.body?.cancel();
      const crossSite = await fetch(url("/api/v1/admin/jobs/seal"), { method: "POST", headers: { cookie: await cookieOf(context), origin: "https://evil.example", "content-type": "application/json" }, body: "{}" });
      assert.equal(crossSite.status, 403, "a cross-origin mutation is refused");
      await context.close();
    }
  });

  it("changes one's own password on Your account: another browser's session ends, and only the new password signs in", async () => {
    const elsewhere = await browser.newContext();
    await signIn(elsewhere, EMAILS.operator);
    const context = await browser.newContext();
    const page = await signIn(context, EMAILS.operator);
    await consoleLink(page, "Your account").click();
    await page.waitForURL(url("/admin/account"));
    const NEW = "operator passphrase, changed in the browser";
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password", { exact: true }).fill(NEW);
    await page.getByLabel("New password again").fill(NEW);
    await page.getByRole("button", { name: "Change password" }).click();
    // The role test signed the operator in too, so there are two other sessions or more.
    await page.getByRole("status").filter({ hasText: /^Your password is changed\. Your \d+ other sessions were signed out\.$/ }).waitFor();
    await assertAccessible(page, "the account page");
    await saveScreenshot(page, "admin-account");

    const other = await elsewhere.newPage();
    await other.goto(url("/admin"));
    await other.waitForURL("**/admin/sign-in?next=%2Fadmin");
    const stale = await fetch(url("/api/v1/admin/session"), { method: "POST", headers: { "content-type": "application/json", origin: server.baseUrl }, body: JSON.stringify({ email: EMAILS.operator, password: PASSWORD }) });
    assert.equal(stale.status, 401, "the old password no longer signs in");
    await signIn(elsewhere, EMAILS.operator, NEW);
    await page.goto(url("/admin/log"));
    assert.ok(((await page.getByRole("region", { name: "Admin log entries" }).textContent()) ?? "").includes("user.password"));
    await context.close();
    await elsewhere.close();
  });

  it("signs out: the console sends the browser back to sign-in", async () => {
    const page = await admin.newPage();
    await page.goto(url("/admin"));
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL("**/admin/sign-in");
    await page.goto(url("/admin/signers"));
    await page.waitForURL("**/admin/sign-in?next=%2Fadmin%2Fsigners");
    assert.equal((await admin.cookies(server.baseUrl)).filter((c) => c.name.endsWith("sealbook_admin")).length, 0);
    await assertAccessible(page, "the sign-in page");
    await page.close();
  });

  it("throttles wrong passwords: after five, even the right one must wait", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url("/admin/sign-in"));
    const attempt = async (password: string) => {
      await page.getByLabel("Email address").fill(EMAILS.auditor);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      // The button says "Signing in…" until the answer is in; then the alert holds this attempt's answer.
      await page.locator('button[type="submit"]:not([disabled])').waitFor();
      return (await page.locator("form [role=alert]").textContent()) ?? "";
    };
    for (let i = 0; i < 5; i++) assert.match(await attempt(`wrong password ${i}`), /The email address or the password is wrong/);
    assert.match(await attempt(PASSWORD), /Too many failed sign-ins for this account\. Try again in \d+ seconds/);
    assert.equal(new URL(page.url()).pathname, "/admin/sign-in");
    await context.close();
  });
});
