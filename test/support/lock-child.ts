/**
 * A stand-in sealer process for the job-lock test: opens the ledger at argv[2], then tries every
 * 100 ms to take the "seal" job lock, printing "standby" once and "held" when it has it, and keeps
 * it until killed.
 */
import { openDatabase } from "../../db/client";
import { openLedger } from "../../lib/ledger/context";
import { tryJobLock } from "../../db/job-lock";

const handle = await openDatabase({ url: process.argv[2], maxConnections: 2 });
const ledger = await openLedger(handle, "test");
let saidStandby = false;
for (;;) {
  const lock = await tryJobLock(ledger, "seal");
  if (lock) {
    console.log("held");
    await new Promise(() => {});
  }
  if (!saidStandby) console.log("standby");
  saidStandby = true;
  await new Promise((r) => setTimeout(r, 100));
}
