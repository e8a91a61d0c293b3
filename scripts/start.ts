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
import { createServer } from "node:http";
import path from "node:path";
import { openDatabase } from "../db/client";
import { appendPeerAddress } from "../lib/admin/http/peer-address";
import { startChainServices } from "../lib/chain/chain-services";
import { readConfig } from "../lib/config";
import { openLedger } from "../lib/ledger/context";
import { isLedgerEmpty, seedDemoLedger } from "../lib/ledger/demo";
import { startSealLoop } from "../lib/ledger/seal-loop";
import { readAdminSettings } from "../lib/admin/settings";
import { tryFastRoute } from "../lib/server/fast-routes";
import { applyServerLimits, createRequestGuard, serverOptionsFor } from "../lib/server/request-guard";
import { installRuntime, sharePglite } from "../lib/server/runtime";

const root = process.cwd();
const log = (line: string) => console.log(`[sealbook] ${line}`);

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
    ...["app", "lib", "db", "components"].map((d) => newestMtime(path.join(root, d))),
    ...["next.config.ts", "package.json", "postcss.config.mjs"].map((f) => (existsSync(path.join(root, f)) ? statSync(path.join(root, f)).mtimeMs : 0)),
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
  const { default: next } = await import("next");
  const config = readConfig();
  ensureAppBuilt();

  // Sealed block pages are cached by Next.js at run time; they belong to whichever database the
  // last server used, so a start forgets them rather than risk serving another ledger's page.
  rmSync(path.join(root, ".next", "server", "route-cache"), { recursive: true, force: true });

  const handle = await openDatabase({ url: config.DATABASE_URL, dataDir: config.pgliteDir, maxConnections: config.DATABASE_POOL_SIZE });
  log(`database: ${handle.driver} at ${handle.location}`);
  const ledger = await openLedger(handle, config.LEDGER_ID);
  if (handle.pglite) sharePglite(handle.pglite, handle.location);
  installRuntime({ config, handle, ledger });

  if (config.demo && (await isLedgerEmpty(ledger))) {
    log("the ledger is empty: seeding clearly labelled DEMO signers and synthetic records (SEALBOOK_DEMO=0 turns this off) …");
    const seeded = await seedDemoLedger(ledger, { keyDir: path.join(config.SEALBOOK_DATA_DIR, "demo-keys"), onProgress: log });
    log(`demo: ${seeded.records} synthetic records in ${seeded.blocks} sealed blocks`);
  }

  // Anchoring, and without RPC_URL a local Hardhat node with its own registry (lib/chain/chain-services.ts).
  const chain = await startChainServices({ config, handle, ledger }, log);

  const app = next({ dev: false, dir: root, hostname: "localhost", port: config.PORT });
  await app.prepare();
  const handler = app.getRequestHandler();
  const fastRoutes = process.env.SEALBOOK_FAST_ROUTES !== "0";
  const origin = `http://localhost:${config.PORT}`;
  const guard = createRequestGuard(config, readAdminSettings().trustedProxyHops);
  const server = createServer(serverOptionsFor(config), (req, res) => {
    // The rate limits, the admin console's sign-in throttle and log need the real peer address (lib/admin/http/client.ts).
    appendPeerAddress(req);
    if (guard.refuse(req, res)) return;
    if (fastRoutes && tryFastRoute(req, res, origin)) return;
    handler(req, res).catch((error: unknown) => {
      console.error("[sealbook] request failed", error);
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  applyServerLimits(server, config);
  log(`serving the portal and API on http://${config.HOST ?? "localhost"}:${config.PORT}${config.HOST ? "" : " (every interface; HOST=127.0.0.1 to bind loopback only)"}`);

  const sealLoop =
    config.SEAL_INTERVAL_SECONDS > 0
      ? startSealLoop(ledger, config.SEAL_INTERVAL_SECONDS, {
          sealed: (block) => log(`sealed block ${block.height}: ${block.entryCount} entries, root ${block.root}`),
          error: (error) => console.error("[sealbook] sealing failed; pending entries stay pending and will be sealed on the next try", error),
          role: () => log(`this process is the ledger's sealer (every ${config.SEAL_INTERVAL_SECONDS} s)`),
        })
      : null;
  if (!sealLoop) log("the sealing timer is off (SEAL_INTERVAL_SECONDS=0)");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping …`);
    await sealLoop?.stop();
    await chain.stop();
    server.close();
    server.closeAllConnections();
    await app.close?.();
    await handle.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`[sealbook] could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
