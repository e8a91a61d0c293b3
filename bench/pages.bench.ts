/**
 * Page benchmark of the transparency portal: throughput of the sealed block page (load from wrk,
 * or autocannon where wrk is missing, in a separate process), and Lighthouse performance and
 * accessibility scores, against the whole system as `npm start` runs it (scripts/start.ts, a
 * production build) on a fresh PostgreSQL database.
 *
 *   npx tsx bench/run.ts pages [--duration=10] [--connections=16] [--lighthouse-runs=3] [--no-lighthouse]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { LOCALES } from "../lib/portal/i18n/routing";
import { skipReason } from "../test/support/db";
import { waitForAnchoring } from "../test/e2e/support/anchoring";
import { CHROMIUM } from "../test/e2e/support/browser";
import { createE2eDatabase, e2eServerEnv, fillLedger } from "../test/e2e/support/ledger-fixture";
import { freePortIn, startPortalServer, type PortalServer } from "../test/e2e/support/portal-server";
import { median, type BenchResult, type BenchRow } from "./harness";
import { loadGeneratorFor, runLoad } from "./support/load";

const TITLE = "Portal pages: /blocks/[height] throughput and Lighthouse scores in both languages, against scripts/start.ts on PostgreSQL";
const THROUGHPUT_TARGET = 500;
const PERFORMANCE_TARGET = 90;
const ACCESSIBILITY_TARGET = 95;

function flag(args: string[], name: string, fallback: number): number {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1];
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Loads `paths` (cycled) from a separate process (wrk when installed, else autocannon) and returns one table row. */
async function measureThroughput(
  server: PortalServer,
  label: string,
  paths: string[],
  options: { connections: number; duration: number; target: number | null },
): Promise<BenchRow> {
  const load = { url: server.baseUrl, paths, connections: options.connections };
  // A short unrecorded run first, so that the JIT has compiled the hot path before we count.
  await runLoad({ ...load, duration: 3 });
  const result = await runLoad({ ...load, duration: options.duration });
  const perSecond = result.requestsPerSecond;
  return {
    measure: label,
    target: options.target === null ? "(reference)" : `≥ ${options.target} req/s`,
    measured: `${Math.round(perSecond)} req/s`,
    "p50 ms": result.latency.p50,
    "p99 ms": result.latency.p99,
    "non-2xx": result.non2xx,
    errors: result.errors,
    ok: options.target === null ? "" : perSecond >= options.target ? "yes" : "NO",
  };
}

/** Headless Chromium with a DevTools port for Lighthouse. */
async function startChromiumForLighthouse(): Promise<{ port: number; stop(): Promise<void> }> {
  const port = await freePortIn(9300, 9399);
  const profile = await mkdtemp(path.join(tmpdir(), "sealbook-lighthouse-"));
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      "--headless=new",
      `--remote-debugging-port=${port}`,
      `--user-data-dir=${profile}`,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "about:blank",
    ],
    { stdio: "ignore" },
  );
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/json/version`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`Chromium did not open its DevTools port ${port} within 20 s.`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    port,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** The timings Lighthouse scores performance on, in short: FCP, LCP, TBT, speed index and CLS. */
function lighthouseTimings(audits: Record<string, { numericValue?: number }> | undefined): string {
  if (!audits) return "";
  const ms = (id: string) => Math.round(audits[id]?.numericValue ?? NaN);
  const cls = audits["cumulative-layout-shift"]?.numericValue ?? NaN;
  return `FCP ${ms("first-contentful-paint")} ms, LCP ${ms("largest-contentful-paint")} ms, TBT ${ms("total-blocking-time")} ms, SI ${ms("speed-index")} ms, CLS ${cls.toFixed(3)}`;
}

/**
 * Lighthouse performance and accessibility for each page, with the mobile (default) and desktop
 * settings: the median of `runs` runs, as Lighthouse's authors advise on a noisy machine.
 */
async function measureLighthouse(server: PortalServer, pages: Array<[string, string]>, runs: number): Promise<BenchRow[]> {
  const { default: lighthouse, desktopConfig } = await import("lighthouse");
  const chromium = await startChromiumForLighthouse();
  const rows: BenchRow[] = [];
  try {
    for (const [label, pagePath] of pages) {
      for (const [form, config] of [
        ["mobile", undefined],
        ["desktop", desktopConfig],
      ] as const) {
        const performances: number[] = [];
        const accessibilities: number[] = [];
        const timings: string[] = [];
        let errors = 0;
        for (let i = 0; i < runs; i++) {
          const result = await lighthouse(
            `${server.baseUrl}${pagePath}`,
            { port: chromium.port, output: "json", logLevel: "error", onlyCategories: ["performance", "accessibility"] },
            config,
          );
          if (!result || result.lhr.runtimeError) errors++;
          performances.push(Math.round((result?.lhr.categories.performance?.score ?? 0) * 100));
          accessibilities.push(Math.round((result?.lhr.categories.accessibility?.score ?? 0) * 100));
          timings.push(lighthouseTimings(result?.lhr.audits));
        }
        const performance = median(performances);
        const accessibility = median(accessibilities);
        rows.push({
          measure: `Lighthouse ${label} (${form})`,
          target: `perf ≥ ${PERFORMANCE_TARGET}, a11y ≥ ${ACCESSIBILITY_TARGET}`,
          measured: `perf ${performance}, a11y ${accessibility}`,
          "p50 ms": null,
          "p99 ms": null,
          "non-2xx": null,
          errors,
          ok: performance >= PERFORMANCE_TARGET && accessibility >= ACCESSIBILITY_TARGET ? "yes" : "NO",
          runs: performances.join(" "),
          // The metrics behind the score, of the run whose score is the median.
          metrics: timings[performances.indexOf(performance)] ?? "",
        });
      }
    }
  } finally {
    await chromium.stop();
  }
  return rows;
}

export async function run(args: string[]): Promise<BenchResult> {
  const duration = flag(args, "duration", 10);
  const connections = flag(args, "connections", 16);
  const lighthouseRuns = flag(args, "lighthouse-runs", 3);
  const loadBefore = loadavg()[0];
  const postgresDown = await skipReason("postgres");
  if (postgresDown) return { title: TITLE, rows: [], notes: [`Not run: ${postgresDown}. The benchmark needs PostgreSQL, as production does.`] };

  const fixture = await createE2eDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), "sealbook-bench-pages-"));
  let server: PortalServer | undefined;
  const notes: string[] = [];
  try {
    server = await startPortalServer({ env: await e2eServerEnv(fixture.databaseUrl, dataDir) });
    const { blocks } = await fillLedger(server.baseUrl, fixture, [100, 100, 100, 100]);
    const chain = await waitForAnchoring(server.baseUrl, blocks.length, 60_000);
    notes.push("skip" in chain ? `Block pages were measured unanchored: ${chain.skip}.` : `Block pages were measured anchored (registry ${chain.registry}).`);

    // Pages live under a language prefix (/uk, /en); an unprefixed address would measure the redirect too.
    const blockPaths = blocks.map((b) => `/en/blocks/${b.height}`);
    const warm = LOCALES.flatMap((locale) => [...blocks.map((b) => `/${locale}/blocks/${b.height}`), `/${locale}`, `/${locale}/verify`]);
    for (const p of [...blockPaths, ...warm]) await (await fetch(`${server.baseUrl}${p}`)).arrayBuffer();

    const rows: BenchRow[] = [];
    rows.push(await measureThroughput(server, "/blocks/[height], one block", [blockPaths[1]], { connections, duration, target: THROUGHPUT_TARGET }));
    rows.push(await measureThroughput(server, `/blocks/[height], ${blocks.length} blocks in turn`, blockPaths, { connections, duration, target: THROUGHPUT_TARGET }));
    rows.push(await measureThroughput(server, "/en (dynamic: reads the database per request)", ["/en"], { connections, duration, target: null }));

    if (args.includes("--no-lighthouse")) notes.push("Lighthouse was not run (--no-lighthouse).");
    else if (!existsSync(CHROMIUM)) notes.push(`Lighthouse was not run: ${CHROMIUM} is missing (apt-get install chromium).`);
    else {
      const pages = LOCALES.flatMap((locale): Array<[string, string]> => [
        [`/${locale}`, `/${locale}`],
        [`/${locale}/blocks/[height]`, `/${locale}/blocks/${blocks[1].height}`],
        [`/${locale}/verify`, `/${locale}/verify`],
      ]);
      rows.push(...(await measureLighthouse(server, pages, lighthouseRuns)));
    }

    const cores = cpus().length;
    notes.push(
      `Load average (1 min) on this ${cores}-core machine: ${loadBefore.toFixed(1)} before the benchmark, ${loadavg()[0].toFixed(1)} after it. ` +
        (loadBefore > cores / 2 ? "Other work was competing for the CPU, so every figure here is lower than the code allows." : "The machine was fairly quiet."),
      `Each throughput row: ${connections} connections for ${duration} s from ${loadGeneratorFor({ url: server.baseUrl, duration })}. Server (next start in scripts/start.ts, with its Hardhat node) and load generator share this machine's ${cores} CPU cores, ` +
        "and other work on the machine competes with both: the figures are a floor for a dedicated server, not a ceiling.",
      "Sealed block pages are rendered once and served from Next.js's cache (revalidated every 30 s in the background), so their throughput is bounded by Node's HTTP handling and the page size, not by the database.",
      "Lighthouse mobile uses its default simulated slow 4G and 4x CPU slowdown; desktop uses its desktop preset. Scores move by a few points between runs on a busy machine.",
    );
    return { title: TITLE, rows, notes };
  } finally {
    await server?.stop();
    await fixture.dispose();
    await rm(dataDir, { recursive: true, force: true });
  }
}
