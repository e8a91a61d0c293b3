/**
 * The transparency portal in a real browser (Debian's Chromium, driven by playwright-core) against
 * the whole system as `npm start` runs it, on a fresh PostgreSQL database with signed, sealed
 * records. Every page visited is checked with axe-core. Run: npm run test:e2e
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import type { Browser, Page, Request } from "playwright-core";
import type { BlockHeader } from "../../lib/ledger/seal";
import type { ProofBundle } from "../../lib/protocol/bundle";
import { skipReason } from "../support/db";
import type { PortalChain } from "./support/anchoring";
import { assertAccessible, browserSkipReason, launchBrowser, saveScreenshot, VIEWPORTS } from "./support/browser";
import { startE2ePortal, type E2ePortal } from "./support/e2e-portal";
import type { HeldRecord } from "./support/ledger-fixture";
import type { PortalServer } from "./support/portal-server";

const skip = browserSkipReason() ?? (await skipReason("postgres"));
if (skip) console.log(`# skipping the portal browser tests: ${skip}`);

const randomHash = () => `0x${randomBytes(32).toString("hex")}`;

describe("the transparency portal in a browser", { skip: skip ?? false }, () => {
  let portal: E2ePortal;
  let server: PortalServer;
  let browser: Browser;
  let blocks: BlockHeader[];
  let held: HeldRecord & { height: number };
  let pending: HeldRecord;
  let chain: PortalChain | { skip: string };
  const chainSkip = () => portal.chainSkip();

  before(async () => {
    portal = await startE2ePortal([5, 7, 30]);
    ({ server, blocks, held, pending, chain } = portal);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await portal?.stop();
  });

  /** A new page at `viewport`, recording every request it makes and every console error. */
  async function openPage(viewport: keyof typeof VIEWPORTS = "desktop") {
    const page = await browser.newPage({ viewport: VIEWPORTS[viewport] });
    const requests: Request[] = [];
    const consoleErrors: string[] = [];
    page.on("request", (request) => requests.push(request));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) consoleErrors.push(message.text());
    });
    page.on("response", (response) => {
      if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
    });
    return { page, requests, consoleErrors };
  }

  async function proofBundleOf(entryHash: string): Promise<ProofBundle> {
    const response = await fetch(`${server.baseUrl}/api/v1/proofs/${entryHash}`);
    assert.equal(response.status, 200, `the proof of ${entryHash} should be sealed`);
    return (await response.json()) as ProofBundle;
  }

  /** Pastes `text` into the verifier, runs it and returns the verdict and each step's outcome. */
  async function verify(page: Page, text: string) {
    await page.goto(`${server.baseUrl}/verify`);
    await page.waitForSelector('[data-testid="verify-submit"]:not([disabled])');
    await page.getByTestId("verify-input").fill(text);
    return runVerifier(page);
  }

  async function runVerifier(page: Page) {
    await page.getByTestId("verify-submit").click();
    const verdict = page.getByTestId("verify-verdict");
    await verdict.waitFor({ timeout: 30_000 });
    const steps = await page.getByTestId("verify-step").evaluateAll((items) =>
      items.map((li) => ({
        step: li.getAttribute("data-step"),
        status: li.getAttribute("data-status"),
        message: li.querySelector('[data-testid="verify-step-message"]')?.textContent ?? "",
      })),
    );
    return { verdict: await verdict.getAttribute("data-verdict"), steps, text: (await verdict.textContent()) ?? "" };
  }

  const stepOf = (steps: Array<{ step: string | null; status: string | null; message: string }>, id: string) => {
    const step = steps.find((s) => s.step === id);
    assert.ok(step, `the verifier should report the ${id} step; it reported ${JSON.stringify(steps)}`);
    return step;
  };

  it("browses from the home page to a block and on to one of its entries", async () => {
    const { page, consoleErrors } = await openPage();
    await page.goto(server.baseUrl);
    await assertAccessible(page, "the home page");
    assert.match((await page.locator("h1").textContent()) ?? "", /check yourself/);
    await page.getByRole("table", { name: /latest sealed blocks/i }).getByRole("link", { name: `Block ${blocks.length}` }).click();
    await page.waitForURL(`**/blocks/${blocks.length}`);
    assert.equal(await page.locator("h1").textContent(), `Block ${blocks.length}`);
    assert.ok((await page.textContent("main"))?.includes(blocks.at(-1)!.root), "the block page shows the block's root");
    await assertAccessible(page, "a block page");

    await page.getByRole("link", { name: `← Block ${blocks.length - 1}` }).click();
    await page.waitForURL(`**/blocks/${blocks.length - 1}`);
    const entryLink = page.getByRole("table", { name: /entries/i }).getByRole("link").first();
    const entryHash = (await entryLink.textContent())?.trim() ?? "";
    await entryLink.click();
    await page.waitForURL(`**/entries/${entryHash}`);
    assert.equal(await page.getByTestId("entry-status").getAttribute("data-status"), "sealed");
    assert.match((await page.getByTestId("entry-status").textContent()) ?? "", new RegExp(`Sealed in block ${blocks.length - 1}`));
    await assertAccessible(page, "an entry page");

    // The entry page's "verify" link opens the verifier, which checks the entry straight away.
    await page.getByRole("link", { name: "Verify this entry in your browser" }).click();
    await page.waitForURL(`**/verify?entry=${entryHash}`);
    const verdict = page.getByTestId("verify-verdict");
    await verdict.waitFor({ timeout: 30_000 });
    assert.equal(await verdict.getAttribute("data-verdict"), chainSkip() ? "incomplete" : "verified");
    assert.deepEqual(consoleErrors, []);
    await page.close();
  });

  it("pages through a block's entries and offers them as JSON and CSV", async () => {
    const { page } = await openPage();
    const last = blocks.at(-1)!;
    await page.goto(`${server.baseUrl}/blocks/${last.height}`);
    await page.getByRole("link", { name: "More entries" }).click();
    await page.waitForURL(`**/blocks/${last.height}/entries/2`);
    assert.match((await page.textContent("main")) ?? "", new RegExp(`Page 2 of 2`));
    await assertAccessible(page, "a page of entries");
    const csv = await fetch(`${server.baseUrl}${await page.getByRole("link", { name: /as CSV/ }).getAttribute("href")}`);
    assert.equal((await csv.text()).trim().split("\n").length, last.entryCount + 1);
    await page.close();
  });

  it("finds a block by height, an entry by hash and a block by root from the one search box", async () => {
    const { page } = await openPage("phone");
    const search = async (query: string) => {
      await page.goto(server.baseUrl);
      await page.getByRole("searchbox", { name: /find a block/i }).fill(query);
      await page.getByRole("button", { name: "Search" }).click();
      await page.waitForLoadState("networkidle");
      return new URL(page.url()).pathname;
    };
    // The reader's browser asks for English: every address is under /en (the portal's language prefix).
    assert.equal(await search("2"), "/en/blocks/2");
    assert.equal(await search(held.entryHash.toUpperCase().replace("0X", "0x")), `/en/entries/${held.entryHash}`);
    assert.equal(await search(blocks[0].root), "/en/blocks/1");
    assert.equal(await search("not a hash"), "/en/search");
    assert.match((await page.textContent("main")) ?? "", /No match/);
    await assertAccessible(page, "a search without a match");
    await page.close();
  });

  it("verifies a good proof bundle: every step that can run passes", async () => {
    const { page } = await openPage();
    const bundle = await proofBundleOf(held.entryHash);
    await page.goto(`${server.baseUrl}/verify`);
    await page.waitForSelector('[data-testid="verify-submit"]:not([disabled])');
    // As a file this time: the verifier reads it in the browser.
    await page.getByTestId("verify-file").setInputFiles({ name: "proof.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(bundle)) });
    await page.waitForFunction(() => (document.querySelector('[data-testid="verify-input"]') as HTMLTextAreaElement).value.startsWith("{"));
    const result = await runVerifier(page);
    assert.deepEqual(result.steps.filter((s) => s.status === "fail"), []);
    assert.equal(stepOf(result.steps, "merkle_proof").status, "pass");
    if (chainSkip()) {
      assert.equal(result.verdict, "incomplete");
      assert.equal(stepOf(result.steps, "root_on_chain").status, "skipped");
    } else {
      assert.equal(result.verdict, "verified");
      assert.equal(stepOf(result.steps, "root_on_chain").status, "pass");
      assert.equal(stepOf(result.steps, "chain_linkage").status, "pass");
    }
    await assertAccessible(page, "the verifier showing a good result");
    await saveScreenshot(page, "verify-good-desktop");
    await page.close();
  });

  it("offers an entry's public evidence bundle on its page, and /verify checks that file in the browser", async (t) => {
    if (chainSkip()) return t.skip(`the evidence bundle needs an anchored block: ${chainSkip()}`);
    const { page } = await openPage();
    await page.goto(`${server.baseUrl}/entries/${held.entryHash}`);
    const link = page.getByTestId("evidence-download");
    assert.equal(await link.getAttribute("href"), `/api/v1/evidence/${held.entryHash}`);
    const response = await fetch(`${server.baseUrl}/api/v1/evidence/${held.entryHash}`);
    assert.equal(response.headers.get("content-type"), "application/vnd.sealbook.evidence+json");
    const text = await response.text();
    assert.ok(!JSON.parse(text).items[0].jws, "the public bundle has no JWS");
    await page.goto(`${server.baseUrl}/verify`);
    await page.waitForSelector('[data-testid="verify-submit"]:not([disabled])');
    await page.getByTestId("verify-file").setInputFiles({ name: "evidence.sealbook.json", mimeType: "application/vnd.sealbook.evidence+json", buffer: Buffer.from(text) });
    await page.waitForFunction(() => (document.querySelector('[data-testid="verify-input"]') as HTMLTextAreaElement).value.includes("sealbook.evidence"));
    await page.getByTestId("verify-submit").click();
    const result = page.getByTestId("evidence-result");
    await result.waitFor({ timeout: 30_000 });
    const checks = await page.getByTestId("evidence-check").evaluateAll((items) => items.map((li) => `${li.getAttribute("data-check")}:${li.getAttribute("data-status")}`));
    assert.deepEqual(checks.filter((c) => c.endsWith(":fail")), []);
    for (const id of ["entry_hash", "signature"]) assert.ok(checks.includes(`${id}:skipped`), `${id} is reported as skipped in a public bundle: ${checks.join()}`);
    assert.ok(checks.includes("merkle_proof:pass") && checks.includes("anchor_root:pass") && checks.includes("blocks_chain:pass"), checks.join());
    assert.equal(await result.getAttribute("data-verdict"), "verified");
    await assertAccessible(page, "the verifier showing an evidence bundle");

    // One changed sibling: the browser fails it at the Merkle step.
    const bad = JSON.parse(text);
    const proof: string[] = bad.items[0].bundle.proof;
    proof[0] = `${proof[0].slice(0, -1)}${proof[0].endsWith("0") ? "1" : "0"}`;
    await page.getByTestId("verify-input").fill(JSON.stringify(bad));
    await page.getByTestId("verify-submit").click();
    await page.locator('[data-testid="evidence-result"][data-verdict="failed"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-testid="evidence-check"][data-status="fail"]').first().getAttribute("data-check"), "merkle_proof");
    await page.close();
  });

  it("rejects a bundle with one sibling changed at the Merkle step, and says why", async () => {
    const { page } = await openPage();
    const bundle = await proofBundleOf(held.entryHash);
    const sibling = bundle.proof[0];
    const tampered = { ...bundle, proof: [`${sibling.slice(0, -1)}${sibling.endsWith("0") ? "1" : "0"}`, ...bundle.proof.slice(1)] };
    const result = await verify(page, JSON.stringify(tampered));
    assert.equal(result.verdict, "failed");
    const merkle = stepOf(result.steps, "merkle_proof");
    assert.equal(merkle.status, "fail");
    assert.match(merkle.message, /does not lead to the block's root/);
    assert.match(merkle.message, /altered/);
    assert.match((await page.textContent("main")) ?? "", new RegExp(bundle.block.root), "the expected root is shown beside the computed one");
    await assertAccessible(page, "the verifier showing a failed result");
    await saveScreenshot(page, "verify-tampered-desktop");
    await page.close();
  });

  it("rejects a bundle that names a root other than the block's", async () => {
    const { page } = await openPage();
    const bundle = await proofBundleOf(held.entryHash);
    const forged = { ...bundle, block: { ...bundle.block, root: randomHash() } };
    const result = await verify(page, JSON.stringify(forged));
    assert.equal(result.verdict, "failed");
    assert.equal(stepOf(result.steps, "merkle_proof").status, "fail");
    if (!chainSkip()) {
      const onChain = stepOf(result.steps, "root_on_chain");
      assert.equal(onChain.status, "fail");
      assert.match(onChain.message, /holds a different root/);
    }
    await page.close();
  });

  it("verifies a pasted signed record and never sends the record anywhere", async () => {
    const { page, requests } = await openPage();
    const result = await verify(page, held.jws);
    for (const id of ["entry_hash", "prev_root", "merkle_proof", "signature"]) assert.equal(stepOf(result.steps, id).status, "pass", `${id} passes`);
    assert.equal(result.verdict, chainSkip() ? "incomplete" : "verified");

    const [header, payload, signature] = held.jws.split(".");
    const leaks = requests.filter((r) => {
      const seen = `${r.url()}\n${r.postData() ?? ""}\n${JSON.stringify(r.headers())}`;
      return seen.includes(held.jws) || seen.includes(payload) || seen.includes(signature);
    });
    assert.deepEqual(
      leaks.map((r) => `${r.method()} ${r.url()}`),
      [],
      "no request may carry the record, its payload or its signature",
    );
    assert.ok(header.length > 0);
    assert.ok(
      requests.some((r) => r.url() === `${server.baseUrl}/api/v1/proofs/${held.entryHash}`),
      "only the entry hash is sent, to fetch the proof",
    );
    assert.equal(new URL(page.url()).search, "", "the record is not put in the address either");
    await page.close();
  });

  it("says so plainly when the blockchain node cannot be reached", async () => {
    const { page } = await openPage();
    await page.goto(`${server.baseUrl}/verify`);
    await page.waitForSelector('[data-testid="verify-submit"]:not([disabled])');
    await page.getByText("Blockchain connection (advanced)").click();
    await page.getByTestId("verify-rpc").fill("http://127.0.0.1:1");
    await page.getByTestId("verify-input").fill(held.entryHash);
    const result = await runVerifier(page);
    assert.equal(stepOf(result.steps, "merkle_proof").status, "pass");
    const onChain = stepOf(result.steps, "root_on_chain");
    assert.equal(onChain.status, "skipped");
    assert.equal(result.verdict, "incomplete");
    if (!chainSkip()) assert.match(onChain.message, /could not be reached/);
    await assertAccessible(page, "the verifier with an unreachable blockchain node");
    await page.close();
  });

  it("says an entry is pending until its block is sealed", async () => {
    const { page } = await openPage();
    await page.goto(`${server.baseUrl}/entries/${pending.entryHash}`);
    assert.equal(await page.getByTestId("entry-status").getAttribute("data-status"), "pending");
    await assertAccessible(page, "a pending entry");
    const byHash = await verify(page, pending.entryHash);
    assert.equal(byHash.verdict, "pending");
    assert.match(byHash.text, /not sealed yet/);
    const byRecord = await verify(page, pending.jws);
    assert.equal(byRecord.verdict, "pending");
    await page.close();
  });

  it("says an entry the ledger never accepted is unknown", async () => {
    const { page } = await openPage();
    const unknown = randomHash();
    const response = await page.goto(`${server.baseUrl}/entries/${unknown}`);
    assert.equal(response?.status(), 404);
    assert.equal(await page.getByTestId("entry-status").getAttribute("data-status"), "unknown");
    await assertAccessible(page, "an unknown entry");
    const result = await verify(page, unknown);
    assert.equal(result.verdict, "unknown");
    assert.match(result.text, /does not know this entry/);
    await page.close();
  });

  it("explains input the verifier cannot read", async () => {
    const { page } = await openPage();
    await page.goto(`${server.baseUrl}/verify`);
    await page.waitForSelector('[data-testid="verify-submit"]:not([disabled])');
    await page.getByTestId("verify-input").fill("hello");
    await page.getByTestId("verify-submit").click();
    assert.match((await page.getByTestId("verify-input-error").textContent()) ?? "", /not something the verifier can check/);
    await page.getByTestId("verify-input").fill('{"version": 1}');
    await page.getByTestId("verify-submit").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="verify-input-error"]')?.textContent?.includes("proof bundle"));
    await page.close();
  });

  it("checks a block's root on the chain from the browser, and shows a mismatch for a root the chain does not hold", async (t) => {
    const { page, requests } = await openPage();
    const block = blocks[1];
    await page.goto(`${server.baseUrl}/blocks/${block.height}`);
    const result = page.getByTestId("live-check-result");
    await result.scrollIntoViewIfNeeded();
    const reason = chainSkip();
    if (reason) {
      await page.waitForFunction(() => document.querySelector('[data-testid="live-check-result"]')?.getAttribute("data-state") !== "checking");
      assert.equal(await result.getAttribute("data-state"), "not_configured", "without a chain the live check says so");
      t.skip(`the match and mismatch states need an anchored chain: ${reason}`);
      await page.close();
      return;
    }
    await page.waitForFunction(() => !["checking"].includes(document.querySelector('[data-testid="live-check-result"]')?.getAttribute("data-state") ?? "checking"));
    assert.equal(await result.getAttribute("data-state"), "match");
    assert.ok(
      requests.some((r) => r.url().startsWith((chain as PortalChain).rpcUrl) && r.method() === "POST"),
      "the browser asked the RPC endpoint itself",
    );

    const otherRoot = randomHash();
    await page.goto(`${server.baseUrl}/blocks/${block.height}?expectRoot=${otherRoot}`);
    await result.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => document.querySelector('[data-testid="live-check-result"]')?.getAttribute("data-state") === "mismatch", null, { timeout: 20_000 });
    const text = (await result.textContent()) ?? "";
    assert.match(text, /Mismatch/);
    assert.ok(text.includes(otherRoot) && text.includes(block.root), "both the expected and the on-chain root are shown");
    assert.match((await page.textContent("main")) ?? "", /Test mode/);
    await assertAccessible(page, "a block page showing a mismatch");
    await saveScreenshot(page, "block-mismatch-desktop");
    await page.close();
  });

  it("can be used with the keyboard alone: the skip link comes first and leads to the content", async () => {
    const { page } = await openPage();
    await page.goto(`${server.baseUrl}/blocks`);
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to main content");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.activeElement?.id === "main");
    await page.close();
  });

  it("serves sealed block pages as cacheable, and publishes a feed and an OpenAPI document", async () => {
    const block = await fetch(`${server.baseUrl}/blocks/1`);
    assert.equal(block.status, 200);
    assert.match(block.headers.get("cache-control") ?? "", /public, max-age=\d+, s-maxage=\d+/);
    const entriesPage = await fetch(`${server.baseUrl}/blocks/${blocks.at(-1)!.height}/entries/2`);
    assert.match(entriesPage.headers.get("cache-control") ?? "", /public, max-age=300/);
    const feed = await (await fetch(`${server.baseUrl}/feed.xml`)).text();
    assert.match(feed, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    for (const b of blocks) assert.ok(feed.includes(b.root), `the feed lists block ${b.height}`);
    const openapi = (await (await fetch(`${server.baseUrl}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
    assert.equal(openapi.openapi, "3.1.0");
    assert.ok(openapi.paths["/api/v1/proofs/{entryHash}"]);
  });

  it("passes axe on every page at phone and desktop widths (screenshots in test-results/screenshots)", async () => {
    const pages = [
      ["home", "/"],
      ["blocks", "/blocks"],
      ["block", `/blocks/${blocks.at(-1)!.height}`],
      ["block-entries", `/blocks/${blocks.at(-1)!.height}/entries/2`],
      ["entry", `/entries/${held.entryHash}`],
      ["verify", "/verify"],
      ["signers", "/signers"],
      ["about", "/about"],
      ["api", "/api"],
      ["not-found", "/blocks/999999"],
    ] as const;
    for (const viewport of ["phone", "desktop"] as const) {
      const { page, consoleErrors } = await openPage(viewport);
      for (const [name, href] of pages) {
        await page.goto(`${server.baseUrl}${href}`, { waitUntil: "networkidle" });
        await assertAccessible(page, `${href} at ${viewport} width`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${href} scrolls sideways by ${overflow}px at ${viewport} width`);
        await saveScreenshot(page, `${name}-${viewport}`);
      }
      assert.deepEqual(
        consoleErrors.filter((e) => !e.includes("/blocks/999999")),
        [],
        "no console errors and no failed requests (besides the deliberate 404 page)",
      );
      await page.close();
    }
  });
});
