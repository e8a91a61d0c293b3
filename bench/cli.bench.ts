/**
 * `npm run bench cli`: how long the `sealbook` command takes to answer, as the median of 5 cold
 * starts (a new process each time, as a script or cron job starts it), beside `node -e 0` measured
 * in the same run and the old way (`tsx scripts/sealbook.ts`). `status` runs against a migrated
 * PostgreSQL database with a sealed block, and `verify` checks a real proof bundle of it.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { openLedger, type LedgerContext } from "../lib/ledger/context";
import { readHead } from "../lib/ledger/head";
import { submitRecords } from "../lib/ledger/ingest";
import { proofForEntry } from "../lib/ledger/proofs";
import { sealPendingEntries } from "../lib/ledger/seal";
import { registerSigner } from "../lib/ledger/signers/signers";
import type { Hash } from "../lib/protocol/hex";
import { newKeyPair, signedRecord } from "../test/support/records";
import { median, round3, type BenchResult } from "./harness";
import { createBenchDatabase } from "./support/server";

const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "bin", "sealbook.mjs");
const RUNS = 5;

interface Start {
  /** Wall-clock seconds from spawn to exit. */
  seconds: number;
  /** CPU seconds of the process (user + system), when GNU time is there to say. */
  cpu: number | null;
}

const gnuTime = existsSync("/usr/bin/time");

/** Runs a command to its end and times it; throws unless it exits with `expectCode`. */
function timed(command: string[], env: Record<string, string> = {}, expectCode = 0): Promise<Start> {
  const [file, ...args] = gnuTime ? ["/usr/bin/time", "-f", "cpu %U %S", ...command] : command;
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(file, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      const seconds = (performance.now() - start) / 1000;
      const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
      if (code === expectCode) resolve({ seconds, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : null });
      else reject(new Error(`\`${command.slice(1).join(" ")}\` exited with ${code}, not ${expectCode}: ${stderr}`));
    });
  });
}

/** Registers a signer, submits `count` records and seals them; returns one entry's hash. */
async function sealedEntry(ledger: LedgerContext, count: number): Promise<Hash> {
  const keys = await newKeyPair("EdDSA");
  await registerSigner(ledger, { publicJwk: keys.publicJwk, label: "bench signer", validFrom: new Date(Date.now() - 60_000) });
  const head = await readHead(ledger.db, ledger.genesisRoot);
  const results = await submitRecords(ledger, await Promise.all(Array.from({ length: count }, () => signedRecord(keys.privateJwk, head.root))));
  const first = results[0];
  if (!first?.ok) throw new Error(`The fixture's records were refused: ${JSON.stringify(results)}`);
  await sealPendingEntries(ledger);
  return first.entryHash;
}

/** npm's own CLI, beside the node that runs this benchmark. */
function npmCli(): string {
  return process.env.npm_execpath ?? path.join(path.dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js");
}

async function coldStarts(command: string[], env: Record<string, string> = {}, runs = RUNS): Promise<Start[]> {
  const starts: Start[] = [];
  for (let i = 0; i < runs; i++) starts.push(await timed(command, env));
  return starts;
}

export async function run(): Promise<BenchResult> {
  const log = (line: string) => console.log(`  ${line}`);
  const database = await createBenchDatabase(`sealbook_bench_cli_${process.pid}`);
  const folder = await mkdtemp(path.join(tmpdir(), "sealbook-bench-cli-"));
  try {
    log("a migrated PostgreSQL ledger with one sealed block, and a proof bundle of it …");
    const handle = await openDatabase({ url: database.url, maxConnections: 2 });
    const bundleFile = path.join(folder, "bundle.json");
    try {
      const ledger = await openLedger(handle, "bench-cli");
      const entryHash = await sealedEntry(ledger, 8);
      const proof = await proofForEntry(ledger, entryHash);
      if (proof.status !== "sealed") throw new Error(`The fixture's entry is ${proof.status}, not sealed.`);
      await writeFile(bundleFile, JSON.stringify(proof.bundle));
    } finally {
      await handle.close();
    }
    const env = { DATABASE_URL: database.url, LEDGER_ID: "bench-cli", SEALBOOK_CHAIN: "off" };
    log("compiling the CLI if it is stale (bin/sealbook.mjs does this on first use) …");
    const firstUse = await timed([process.execPath, bin, "--version"]);

    log(`${RUNS} cold starts of each command …`);
    const reference = await coldStarts([process.execPath, "-e", "0"]);
    const help = await coldStarts([process.execPath, bin, "help"]);
    const version = await coldStarts([process.execPath, bin, "--version"]);
    const verify = await coldStarts([process.execPath, bin, "verify", bundleFile, "--offline"]);
    const status = await coldStarts([process.execPath, bin, "status"], env);
    const tsxHelp = await coldStarts([process.execPath, "--import", "tsx", path.join(root, "scripts", "sealbook.ts"), "help"], {}, 3);
    const tsxStatus = await coldStarts([process.execPath, "--import", "tsx", path.join(root, "scripts", "sealbook.ts"), "status"], env, 3);
    const npmHelp = await coldStarts([process.execPath, npmCli(), "run", "-s", "sealbook", "--", "help"], {}, 3);

    const row = (command: string, starts: Start[], target: number | null) => {
      const seconds = starts.map((s) => s.seconds);
      const cpu = starts.map((s) => s.cpu).filter((c) => c !== null);
      return {
        command,
        "median (s)": round3(median(seconds)),
        "min–max (s)": `${round3(Math.min(...seconds))}–${round3(Math.max(...seconds))}`,
        "CPU, median (s)": cpu.length > 0 ? round3(median(cpu)) : "n/a",
        "target (s)": target === null ? "reference" : `≤ ${target}`,
        met: target === null ? "" : median(seconds) <= target ? "yes" : "NO",
      };
    };
    return {
      title: `sealbook cold starts, median of ${RUNS} (bin/sealbook.mjs, compiled)`,
      rows: [
        row("node -e 0", reference, null),
        row("sealbook help", help, 0.3),
        row("sealbook --version", version, 0.3),
        row("sealbook verify BUNDLE.json --offline", verify, 0.6),
        row("sealbook status (PostgreSQL)", status, 0.8),
        row("the same sources through tsx: help (3 runs)", tsxHelp, null),
        row("the same sources through tsx: status (3 runs)", tsxStatus, null),
        row("npm run -s sealbook -- help (npm's own start included, 3 runs)", npmHelp, null),
      ],
      notes: [
        `The first \`sealbook\` of this run took ${round3(firstUse.seconds)} s (bin/sealbook.mjs compiles the CLI first, with esbuild into dist/cli, when a source changed since the last build).`,
        "CPU is the command's own user + system time (GNU time): on a busy machine the wall-clock time also holds the wait for a core; `status` also waits for PostgreSQL.",
        "tsx keeps its own transform cache, so its figures are warm too; it still loads each package's many files where the bundle loads one.",
        `Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`,
      ],
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
    await database.drop();
  }
}
