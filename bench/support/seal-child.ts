/**
 * Child process of the seal benchmark: seals the pending entries of the database at argv[2] and
 * prints the timings and the process's peak RSS as JSON, so that peak memory is the sealer's alone.
 */
import { openDatabase } from "../../db/client";
import { openLedger } from "../../lib/ledger/context";
import { sealPendingEntries, type SealProgress } from "../../lib/ledger/seal";
import { BENCH_LEDGER } from "./ingest-setup";

const handle = await openDatabase({ url: process.argv[2], maxConnections: 2 });
const ledger = await openLedger(handle, BENCH_LEDGER);
const phases: Record<string, number> = {};
let last = performance.now();
let lastPhase = "start";
const start = performance.now();
const block = await sealPendingEntries(ledger, {
  onProgress: (p: SealProgress) => {
    if (p.phase === lastPhase) return;
    const now = performance.now();
    phases[lastPhase] = (phases[lastPhase] ?? 0) + (now - last);
    last = now;
    lastPhase = p.phase;
  },
});
const seconds = (performance.now() - start) / 1000;
phases[lastPhase] = (phases[lastPhase] ?? 0) + (performance.now() - last);
await handle.close();
process.stdout.write(JSON.stringify({ seconds, entryCount: block?.entryCount ?? 0, root: block?.root, peakRssMiB: process.resourceUsage().maxRSS / 1024, phasesMs: phases }));
