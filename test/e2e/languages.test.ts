/**
 * The portal in Ukrainian and English in a real browser (Debian's Chromium, driven by
 * playwright-core) against the whole system as `npm start` runs it: the language chosen from the
 * browser's Accept-Language, a switch that is remembered, unprefixed addresses sent to the chosen
 * language, browsing and verifying in Ukrainian, and axe on the main pages in both languages at
 * phone and desktop widths, with screenshots in test-results/screenshots. Run: npm run test:e2e
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { BlockHeader } from "../../lib/ledger/seal";
import { skipReason } from "../support/db";
import type { PortalChain } from "./support/anchoring";
import { browserSkipReason, launchBrowser, saveScreenshot, seriousAxeViolations, VIEWPORTS } from "./support/browser";
import { startE2ePortal, type E2ePortal } from "./support/e2e-portal";
import type { HeldRecord } from "./support/ledger-fixture";
import type { PortalServer } from "./support/portal-server";

const skip = browserSkipReason() ?? (await skipReason("postgres"));
if (skip) console.log(`# skipping the language browser tests: ${skip}`);

describe("the portal in Ukrainian and English", { skip: skip ?? false }, () => {
  let portal: E2ePortal;
  let server: PortalServer;
  let browser: Browser;
  let blocks: BlockHeader[];
  let held: HeldRecord & { height: number };
  let chain: PortalChain | { skip: string };

  before(async () => {
    portal = await startE2ePortal([3, 4]);
    ({ server, blocks, held, chain } = portal);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await portal?.stop();
  });

  /** A browser whose reader prefers `locale` (it sends it as Accept-Language), at `viewport`. */
  async function readerPreferring(locale: string, viewport: keyof typeof VIEWPORTS = "desktop"): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale, viewport: VIEWPORTS[viewport] });
    return { context, page: await context.newPage() };
  }

  const pathOf = (page: Page) => new URL(page.url()).pathname;

  it("opens an unprefixed address in Ukrainian for a browser that asks for Ukrainian", async () => {
    const { context, page } = await readerPreferring("uk-UA");
    await page.goto(`${server.baseUrl}/blocks/1`);
    assert.equal(pathOf(page), "/uk/blocks/1");
    assert.equal(await page.getAttribute("html", "lang"), "uk");
    assert.equal(await page.locator("h1").textContent(), "Блок 1");
    await page.goto(server.baseUrl);
    assert.equal(pathOf(page), "/uk");
    await context.close();
  });

  it("switches language from the header, keeping the query, and remembers the choice for unprefixed addresses", async () => {
    const { context, page } = await readerPreferring("en-US");
    await page.goto(`${server.baseUrl}/blocks`);
    assert.equal(pathOf(page), "/en/blocks");
    await page.getByRole("navigation", { name: "Language" }).first().getByRole("link", { name: "Українська" }).click();
    await page.waitForURL("**/uk/blocks");
    assert.equal(await page.locator("h1").textContent(), "Запечатані блоки");
    const cookie = (await context.cookies()).find((c) => c.name === "NEXT_LOCALE");
    assert.equal(cookie?.value, "uk", "the choice is kept in a cookie");
    assert.ok(cookie && cookie.expires > Date.now() / 1000 + 30 * 24 * 3600, "the cookie outlives the browser session");
    // An English-speaking browser with the remembered choice: unprefixed addresses open in Ukrainian.
    await page.goto(`${server.baseUrl}/verify`);
    assert.equal(pathOf(page), "/uk/verify");
    // And back to English.
    await page.getByRole("navigation", { name: "Мова" }).first().getByRole("link", { name: "English" }).click();
    await page.waitForURL("**/en/verify");
    await page.goto(`${server.baseUrl}/signers`);
    assert.equal(pathOf(page), "/en/signers");
    // The switch keeps the page's query: the entry the verifier was asked to check stays asked.
    await page.goto(`${server.baseUrl}/en/verify?entry=${held.entryHash}`);
    await page.getByRole("navigation", { name: "Language" }).first().getByRole("link", { name: "Українська" }).click();
    await page.waitForURL(`**/uk/verify?entry=${held.entryHash}`);
    await context.close();
  });

  it("browses from the home page to an entry and verifies it, all in Ukrainian", async () => {
    const { context, page } = await readerPreferring("uk-UA", "phone");
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(server.baseUrl);
    assert.match((await page.locator("h1").textContent()) ?? "", /перевірити самі/);
    await page.getByRole("table", { name: /Останні запечатані блоки/ }).getByRole("link", { name: `Блок ${held.height}` }).click();
    await page.waitForURL(`**/uk/blocks/${held.height}`);
    await page.getByRole("heading", { name: "Заголовок блоку" }).waitFor();
    await page.goto(`${server.baseUrl}/uk/entries/${held.entryHash}`);
    assert.match((await page.getByTestId("entry-status").textContent()) ?? "", new RegExp(`Запечатано в блоці ${held.height}`));
    await page.getByRole("link", { name: "Перевірити цей запис у браузері" }).click();
    await page.waitForURL(`**/uk/verify?entry=${held.entryHash}`);
    const verdict = page.getByTestId("verify-verdict");
    await verdict.waitFor({ timeout: 30_000 });
    const expected = "skip" in chain ? "incomplete" : "verified";
    assert.equal(await verdict.getAttribute("data-verdict"), expected);
    assert.match((await verdict.textContent()) ?? "", expected === "verified" ? /✓ Перевірено/ : /Перевірено частково/);
    const titles = await page.getByTestId("verify-step").locator("h3").allTextContents();
    assert.ok(titles.some((t) => t.includes(`Запис є в блоці ${held.height}`)), `the steps are titled in Ukrainian: ${titles.join(" | ")}`);
    const states = await page.getByTestId("verify-step").locator("span.rounded-full").allTextContents();
    assert.ok(states.every((s) => /Пройдено|Не перевірено|Ще ні|Не пройдено/.test(s)), `the outcomes are in Ukrainian: ${states.join(" | ")}`);
    assert.deepEqual(consoleErrors, []);
    await context.close();
  });

  it("says where there is nothing in the reader's language", async () => {
    const { context, page } = await readerPreferring("uk-UA");
    const response = await page.goto(`${server.baseUrl}/uk/blocks/999999`);
    assert.equal(response?.status(), 404);
    assert.equal(await page.locator("h1").textContent(), "Такого блоку немає");
    await page.goto(`${server.baseUrl}/uk/search?q=not-a-hash`);
    assert.match((await page.textContent("main")) ?? "", /Нічого не знайдено/);
    await context.close();
  });

  it("passes axe on the main pages in both languages at phone and desktop widths (screenshots in test-results/screenshots)", async () => {
    const pages = [
      ["home", ""],
      ["blocks", "/blocks"],
      ["block", `/blocks/${blocks.at(-1)!.height}`],
      ["entry", `/entries/${held.entryHash}`],
      ["verify", "/verify"],
      ["status", "/status"],
      ["about", "/about"],
    ] as const;
    for (const locale of ["uk", "en"] as const) {
      for (const viewport of ["phone", "desktop"] as const) {
        const { context, page } = await readerPreferring(locale, viewport);
        for (const [name, href] of pages) {
          await page.goto(`${server.baseUrl}/${locale}${href}`, { waitUntil: "networkidle" });
          const violations = await seriousAxeViolations(page);
          assert.deepEqual(violations, [], `axe found serious or critical violations on /${locale}${href} at ${viewport} width:\n${JSON.stringify(violations, null, 2)}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
          assert.ok(overflow <= 0, `/${locale}${href} scrolls sideways by ${overflow}px at ${viewport} width`);
          await saveScreenshot(page, `${locale}-${name}-${viewport}`);
        }
        await context.close();
      }
    }
  });
});
