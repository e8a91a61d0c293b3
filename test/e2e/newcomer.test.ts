/**
 * The first minutes of a newcomer, in a real browser (Debian's Chromium, driven by playwright-core)
 * against `npm start` as it runs out of the box: embedded PGlite, demo data, a local chain. The
 * console prints a one-time setup link; opening it creates the first admin account and signs it in;
 * the link is refused afterwards. Meanwhile the living demo clinic keeps submitting records, and new
 * blocks are sealed and anchored on the home page.
 * Run: npm run test:e2e (with the other browser tests)
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Browser } from "playwright-core";
import { waitForAnchoring } from "./support/anchoring";
import { browserSkipReason, launchBrowser, saveScreenshot, seriousAxeViolations } from "./support/browser";
import { freePortIn, startPortalServer, type PortalServer } from "./support/portal-server";

const skip = browserSkipReason();
if (skip) console.log(`# skipping the newcomer browser tests: ${skip}`);

const EMAIL = "newcomer@example.org";
const PASSWORD = "a newcomer's pass phrase";
/** What `npm start` seeds: six sealed blocks (lib/ledger/demo.ts). */
const SEEDED_BLOCKS = 6;

type LedgerAnswer = { head: { height: number }; pendingCount: number; anchoredHeight?: number | null };

describe("a newcomer's first minutes with npm start", { skip: skip ?? false }, () => {
  let server: PortalServer;
  let dataDir: string;
  let browser: Browser;
  let setupLink: string;
  const url = (p: string) => `${server.baseUrl}${p}`;
  const ledger = async () => (await (await fetch(url("/api/v1/ledger"), { cache: "no-store" })).json()) as LedgerAnswer;

  before(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "sealbook-newcomer-e2e-"));
    server = await startPortalServer({
      portRange: [3500, 3599],
      env: {
        // Embedded, with the demo, as out of the box; only the timers are quicker, to watch them in a test.
        DATABASE_URL: "",
        SEALBOOK_DATA_DIR: dataDir,
        LEDGER_ID: "e2e-newcomer",
        SEAL_INTERVAL_SECONDS: "2",
        ANCHOR_INTERVAL_SECONDS: "2",
        DEMO_CLINIC_INTERVAL_SECONDS: "1",
        HARDHAT_PORT: String(await freePortIn(9100, 9199)),
      },
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const link = /http:\/\/localhost:\d+\/admin\/setup\?token=[A-Za-z0-9_-]{43}/.exec(server.output())?.[0];
      if (link) {
        setupLink = link;
        break;
      }
      assert.ok(Date.now() < deadline, `npm start printed no setup link. Its output ended with:\n${server.output()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("prints a setup link that creates the first admin account and signs it in", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(setupLink);
    await page.getByRole("heading", { name: "Create the first admin account" }).waitFor();
    assert.deepEqual(await seriousAxeViolations(page), [], "axe finds no serious problem on the setup page");
    await page.getByLabel("Email address").fill(EMAIL);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByLabel("Password again").fill(PASSWORD);
    await saveScreenshot(page, "admin-setup");
    await page.getByRole("button", { name: "Create the admin account" }).click();
    await page.waitForURL(url("/admin"));
    await page.getByText(`Signed in as ${EMAIL} (admin)`).waitFor();

    await page.goto(url("/admin/log"));
    const log = await page.locator("main").innerText();
    assert.match(log, /user\.create/, "the account's creation is in the admin log");
    assert.match(log, /setup link/);
    await context.close();
  });

  it("refuses the setup link after its first use, in the browser and over HTTP", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(setupLink);
    await page.getByRole("alert").filter({ hasText: "This setup link was used already" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Create the admin account" }).count(), 0, "no form behind a used link");
    assert.deepEqual(await seriousAxeViolations(page), []);
    await context.close();

    const token = new URL(setupLink).searchParams.get("token");
    const response = await fetch(url("/api/v1/admin/setup"), {
      method: "POST",
      headers: { "content-type": "application/json", origin: server.baseUrl },
      body: JSON.stringify({ token, email: "intruder@example.org", password: PASSWORD }),
    });
    assert.equal(response.status, 403);
    assert.match(((await response.json()) as { detail: string }).detail, /used already/);
  });

  it("keeps sealing and anchoring the demo clinic's new records, on the home page", async () => {
    const start = await ledger();
    assert.ok(start.head.height >= SEEDED_BLOCKS, `the demo is seeded: head ${start.head.height}`);
    const target = start.head.height + 2;
    const chain = await waitForAnchoring(server.baseUrl, target, 180_000);
    assert.ok(!("skip" in chain), `new blocks should be sealed and anchored: ${"skip" in chain ? chain.skip : ""}\n${server.output()}`);

    const page = await browser.newPage();
    await page.goto(url("/"));
    const status = page.getByRole("region", { name: "The ledger right now" });
    const latest = Number(/Block (\d+)/.exec(await status.innerText())?.[1]);
    assert.ok(latest >= target, `the home page shows block ${latest}, sealed after the seed`);
    await page.close();
  });
});
