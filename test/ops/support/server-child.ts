/**
 * The server of `npm start` without Next.js, for the operations tests: the same configuration
 * check, logger, HTTP server (probes, /metrics, fast routes for POST /records), seal loop,
 * metrics readers and graceful shutdown as scripts/start.ts, wired the same way; pages answer 404.
 * (Next.js would need a production build, a minute of CPU, and adds nothing these tests check.)
 */
import { openDatabase } from "../../../db/client";
import { openLedger } from "../../../lib/ledger/context";
import { startSealLoop } from "../../../lib/ledger/seal-loop";
import { logger } from "../../../lib/observability/logger";
import { configurationOrExit } from "../../../lib/ops/startup-config";
import { startOperationsMetrics } from "../../../lib/server/ops-metrics";
import { setLifecycle } from "../../../lib/server/readiness";
import { installRuntime } from "../../../lib/server/runtime";
import { startHttpServer } from "../../../lib/server/serve";
import { installGracefulShutdown } from "../../../lib/server/shutdown";

const config = configurationOrExit();
setLifecycle("starting");
const server = await startHttpServer(config, process.cwd());
const handle = await openDatabase({ url: config.DATABASE_URL, dataDir: config.pgliteDir, maxConnections: config.DATABASE_POOL_SIZE });
const ledger = await openLedger(handle, config.LEDGER_ID);
installRuntime({ config, handle, ledger });
server.serve({
  handler: async (_req, res) => {
    res.statusCode = 404;
    res.end();
  },
  database: async () => ledger.db,
  fastRoutes: true,
  origin: `http://localhost:${config.PORT}`,
});
const sealLoop =
  config.SEAL_INTERVAL_SECONDS > 0
    ? startSealLoop(ledger, config.SEAL_INTERVAL_SECONDS, {
        sealed: (block) => logger().info({ height: block.height, entryCount: block.entryCount }, `sealed block ${block.height}: ${block.entryCount} entries`),
        error: (error) => logger().error({ err: error }, "sealing failed"),
      })
    : null;
const opsMetrics = startOperationsMetrics({ config, handle, ledger }, null);
setLifecycle("serving");
logger().info(`serving on http://localhost:${config.PORT}`);
installGracefulShutdown(server, config.SHUTDOWN_GRACE_SECONDS, () => [
  { name: "the sealing timer", stop: () => sealLoop?.stop() },
  { name: "the metrics readers", stop: () => opsMetrics.stop() },
  { name: "the database", stop: () => handle.close() },
]);
