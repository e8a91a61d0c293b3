/**
 * Debian's Chromium driven by playwright-core, axe-core checks and screenshots for the browser
 * tests. Not a test file itself.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Why the browser tests cannot run here, or null. */
export function browserSkipReason(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing (install Debian's chromium package: apt-get install chromium)`;
}

/** Launches headless Chromium with nothing running in the background, and `extraArgs` (a fake camera, for example). */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", ...extraArgs],
  });
}

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
} as const;

/** One axe-core finding, as much as a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/** Runs axe-core (WCAG 2.x A and AA rules and best practices) on the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // React hoists a page's <title> into the head once the route's metadata has streamed in; after a
  // client-side navigation or a server action's refresh there is a moment without one. Check the
  // settled page: a page that never gets a title still fails axe's document-title rule below.
  await page.waitForFunction(() => document.title.trim() !== "", null, { timeout: 10_000 }).catch(() => undefined);
  axeSource ??= await readFile(path.join(process.cwd(), "node_modules", "axe-core", "axe.min.js"), "utf8");
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => JSON.stringify(n.target)) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Fails naming each serious or critical axe-core violation on the page (`label` says which page it is). */
export async function assertAccessible(page: Page, label: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  assert.deepEqual(violations, [], `axe found serious or critical violations on ${label}:\n${JSON.stringify(violations, null, 2)}`);
}

/** Saves a full-page screenshot to test-results/screenshots/NAME.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(process.cwd(), "test-results", "screenshots");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
