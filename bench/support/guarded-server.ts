/**
 * A child process for `npm run bench security`: the API as `scripts/start.ts` serves it (the
 * request guard, the server limits and the fast routes: single and batch submissions, proofs)
 * without Next.js, so that no build is needed and its memory is measured apart from the load.
 * Configured from the environment like the real server; prints "ready" once it listens.
 */
import { createServer } from "node:http";
import { openDatabase } from "../../db/client";
import { appendPeerAddress } from "../../lib/admin/http/peer-address";
import { readConfig } from "../../lib/config";
import { openLedger } from "../../lib/ledger/context";
import { tryFastRoute } from "../../lib/server/fast-routes";
import { applyServerLimits, createRequestGuard, serverOptionsFor } from "../../lib/server/request-guard";
import { installRuntime } from "../../lib/server/runtime";

const config = readConfig();
const handle = await openDatabase({ url: config.DATABASE_URL, dataDir: config.pgliteDir, maxConnections: config.DATABASE_POOL_SIZE });
const ledger = await openLedger(handle, config.LEDGER_ID);
installRuntime({ config, handle, ledger });
const guard = createRequestGuard(config, 0);
const server = createServer(serverOptionsFor(config), (req, res) => {
  appendPeerAddress(req);
  if (guard.refuse(req, res)) return;
  if (tryFastRoute(req, res, `http://localhost:${config.PORT}`)) return;
  res.statusCode = 404;
  res.end();
});
applyServerLimits(server, config);
server.listen(config.PORT, "127.0.0.1", () => console.log("ready"));
