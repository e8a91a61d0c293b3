/**
 * `npm start`: brings the whole system up in one process.
 *
 * It builds what is missing (the Next.js app, the contracts), opens the database (PGlite in
 * SEALBOOK_DATA_DIR by default, or PostgreSQL with DATABASE_URL), seeds demo data into an empty
 * embedded ledger, serves the portal and API on PORT, seals pending entries on a timer, and anchors
 * the sealed roots on chain (without RPC_URL, on a local Hardhat node it starts and deploys to).
 * One process owns the embedded database: Next.js runs inside it (a custom server) and wraps the
 * same PGlite instance, because PGlite allows one opener per data directory.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "../db/client";
import { offerFirstAdminSetup } from "../lib/admin/first-admin-setup";
import { installAdminSettings } from "../lib/admin/http/guard";
import { adminSettingsFrom } from "../lib/admin/settings";
import { startChainServices } from "../lib/chain/chain-services";
import { openLedger } from "../lib/ledger/context";
import { demoKeyDir, isLedgerEmpty, seedDemoLedger } from "../lib/ledger/demo";
import { startLivingDemo } from "../lib/ledger/demo-clinic";
import { startSealLoop } from "../lib/ledger/seal-loop";
import { startPublisher } from "../lib/chain/publish-target";
import { completeDerivedData } from "../lib/ledger/derived";
import { logger } from "../lib/observability/logger";
import { configurationOrExit } from "../lib/ops/startup-config";
import { startOperationsMetrics } from "../lib/server/ops-metrics";
import { setLifecycle } from "../lib/server/readiness";
import { installRuntime, sharePglite } from "../lib/server/runtime";
import { startHttpServer } from "../lib/server/serve";
import { installGracefulShutdown } from "../lib/server/shutdown";
import { startControlServer } from "./control/server";

const root = process.cwd();
const log = (line: string, level: "info" | "warn" = "info") => logger()[level](line);

/** The newest modification time under `dir` (files only), skipping nothing but dot-folders. */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Runs `next build` when there is no build, or when the app's sources changed since it. */
function ensureAppBuilt(): void {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const builtAt = existsSync(buildId) ? statSync(buildId).mtimeMs : 0;
  const sourcesAt = Math.max(
    ...["app", "lib", "db", "components", "messages"].map((d) => newestMtime(path.join(root, d))),
    ...["next.config.ts", "proxy.ts", "package.json", "postcss.config.mjs"].map((f) => (existsSync(path.join(root, f)) ? statSync(path.join(root, f)).mtimeMs : 0)),
  );
  if (builtAt > sourcesAt) return;
  log(builtAt ? "the sources changed since the last build: rebuilding the portal (about a minute) …" : "building the portal for the first time (about a minute) …");
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("`next build` failed; see the output above.");
}

async function main(): Promise<void> {
  // The production server: React and Next.js pick their production builds from NODE_ENV when first
  // loaded, so it is set before Next.js is imported.
  (process.env as Record<string, string | undefined>).NODE_ENV ??= "production";
  // Validates the configuration (refusing to start with the variable and the fix) and sets up the logger.
  const config = configurationOrExit();
  // The admin console's settings come from this one parse (Next.js's copy of lib/admin shares them).
  installAdminSettings(adminSettingsFrom(config));
  const { default: next } = await import("next");
  // Listening from the start: the probes answer (ready: 503) while the rest comes up.
  setLifecycle("starting");
  const server = await startHttpServer(config, root);
  ensureAppBuilt();

  // Sealed block pages are cached by Next.js at run time; they belong to whichever database the
  // last server used, so a start forgets them rather than risk serving another ledger's page.
  rmSync(path.join(root, ".next", "server", "route-cache"), { recursive: true, force: true });

  const handle = await openDatabase({ url: config.DATABASE_URL, dataDir: config.pgliteDir, maxConnections: config.DATABASE_POOL_SIZE });
  log(`database: ${handle.driver} at ${handle.location}`);
  const ledger = await openLedger(handle, config.LEDGER_ID, undefined, { signingPurposes: config.X509_SIGNING_PURPOSES, publishDir: config.SEALBOOK_PUBLISH_DIR });
  // Blocks whose leaf positions and tree a crash (or the compact-store migration) left unwritten are completed first.
  for (const height of await completeDerivedData(ledger)) log(`block ${height}: leaf positions and tree tiles rebuilt from its entries`);
  if (handle.client.driver === "pglite") sharePglite(handle.client.pglite, handle.location);
  installRuntime({ config, handle, ledger });
  // The sealbook CLI's ledger commands, answered while this process holds the embedded database (scripts/control/).
  const control = await startControlServer({ config, handle, ledger }, log);

  if (config.demo && (await isLedgerEmpty(ledger))) {
    log("the ledger is empty: seeding clearly labelled DEMO signers and synthetic records (SEALBOOK_DEMO=0 turns this off) …");
    const seeded = await seedDemoLedger(ledger, { keyDir: demoKeyDir(config.SEALBOOK_DATA_DIR), onProgress: log });
    log(`demo: ${seeded.records} synthetic records in ${seeded.blocks} sealed blocks`);
  }

  // Anchoring, and without RPC_URL a local Hardhat node with its own registry (lib/chain/chain-services.ts).
  const chain = await startChainServices({ config, handle, ledger }, log);

  const app = next({ dev: false, dir: root, hostname: "localhost", port: config.PORT });
  await app.prepare();
  const handler = app.getRequestHandler();
  server.serve({ handler, database: async () => ledger.db, fastRoutes: config.SEALBOOK_FAST_ROUTES === "1", origin: `http://localhost:${config.PORT}` });
  const opsMetrics = startOperationsMetrics({ config, handle, ledger }, chain.job);
  setLifecycle("serving");
  const setupUrl = await offerFirstAdminSetup(ledger.db, { embedded: handle.driver === "pglite", origin: `http://localhost:${config.PORT}`, now: ledger.now() });
  log(`serving the portal and API on http://${config.HOST ?? "localhost"}:${config.PORT}${config.HOST ? "" : " (every interface; HOST=127.0.0.1 to bind loopback only)"}`);
  if (setupUrl) log(`no admin account yet: create the first one in your browser with this link (it works once, for an hour):\n\n    ${setupUrl}\n`);

  const publisher = startPublisher(ledger, config);
  const sealLoop =
    config.SEAL_INTERVAL_SECONDS > 0
      ? startSealLoop(ledger, config.SEAL_INTERVAL_SECONDS, {
          sealed: (block) => {
            logger().info({ height: block.height, entryCount: block.entryCount, root: block.root }, `sealed block ${block.height}: ${block.entryCount} entries`);
            void publisher?.publishNew();
          },
          error: (error) => logger().error({ err: error }, "sealing failed; pending entries stay pending and will be sealed on the next try"),
          role: () => log(`this process is the ledger's sealer (every ${config.SEAL_INTERVAL_SECONDS} s)`),
        })
      : null;
  if (!sealLoop) log("the sealing timer is off (SEAL_INTERVAL_SECONDS=0)");
  const demoClinic = await startLivingDemo(ledger, { enabled: config.demo, intervalSeconds: config.DEMO_CLINIC_INTERVAL_SECONDS, keyDir: demoKeyDir(config.SEALBOOK_DATA_DIR) }, log);

  // SIGTERM: drain the requests in flight, then let a seal or anchoring pass finish, then close (lib/server/shutdown.ts).
  installGracefulShutdown(server, config.SHUTDOWN_GRACE_SECONDS, () => [
    { name: "the demo clinic", stop: () => demoClinic?.stop() },
    { name: "the sealing timer", stop: () => sealLoop?.stop() },
    { name: "the chain services", stop: () => chain.stop() },
    { name: "the metrics readers", stop: () => opsMetrics.stop() },
    { name: "the CLI's control socket", stop: () => control?.close() },
    { name: "Next.js", stop: () => app.close?.() },
    { name: "the database", stop: () => handle.close() },
  ]);
}

main().catch((error: unknown) => {
  logger().error(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
