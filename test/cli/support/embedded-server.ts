/**
 * A stand-in for `npm start` on an embedded data directory, without Next.js (whose build the CLI
 * tests should not need): it opens the database in SEALBOOK_DATA_DIR as scripts/start.ts does
 * (taking the directory's lock), serves the control socket with the same startControlServer, prints
 * "ready", and then takes lines on stdin:
 *   {"submit": PRIVATE_JWK, "count": N}  signs N records against the head and submits them ("submitted")
 * It runs until killed.
 */
import { createInterface } from "node:readline";
import type { JWK } from "jose";
import { openDatabase } from "../../../db/client";
import { readConfig } from "../../../lib/config";
import { openLedger } from "../../../lib/ledger/context";
import { readHead } from "../../../lib/ledger/head";
import { submitRecords } from "../../../lib/ledger/ingest";
import { installRuntime, sharePglite } from "../../../lib/server/runtime";
import { startControlServer } from "../../../scripts/control/server";
import { signedRecord } from "../../support/records";

const config = readConfig();
const handle = await openDatabase({ dataDir: config.pgliteDir });
const ledger = await openLedger(handle, config.LEDGER_ID);
if (handle.client.driver === "pglite") sharePglite(handle.client.pglite, handle.location);
installRuntime({ config, handle, ledger });
const control = await startControlServer({ config, handle, ledger }, (line) => console.error(`[server] ${line}`));
if (!control) throw new Error("No control socket: the stand-in server needs an embedded data directory.");
console.log("ready");

for await (const line of createInterface({ input: process.stdin })) {
  const request = JSON.parse(line) as { submit: JWK; count: number };
  const head = await readHead(ledger.db, ledger.genesisRoot);
  const jws = await Promise.all(Array.from({ length: request.count }, () => signedRecord(request.submit, head.root)));
  const results = await submitRecords(ledger, jws);
  console.log(results.every((r) => r.ok) ? "submitted" : `rejected ${JSON.stringify(results)}`);
}
