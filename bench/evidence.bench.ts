/**
 * `npm run bench evidence`: `sealbook evidence` for a selection of 100,000 records (one signer,
 * a whole day) on PostgreSQL, receipts signed, with `--report`; then `sealbook verify --offline` on
 * the bundle. Reports the time, the peak memory of each process and the file sizes. The block is
 * marked anchored in the database (no chain is needed to write a bundle; the chain checks are the
 * verifier's, and are skipped here by --offline).
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { startHardhatNode } from "../lib/chain/hardhat-node";
import type { BenchResult } from "./harness";
import { round3 } from "./harness";
import { createBenchDatabase } from "./support/server";
import { sealedFixture } from "./support/sealed";

/** Runs the CLI under GNU time; returns seconds, peak RSS (MiB), exit code and stdout. */
async function timedCli(args: string[], env: Record<string, string>): Promise<{ seconds: number; rssMiB: number; code: number | null; stdout: string; stderr: string }> {
  const start = performance.now();
  const child = spawn("/usr/bin/time", ["-f", "maxrss %M", process.execPath, "--import", "tsx", path.resolve(import.meta.dirname, "..", "scripts", "sealbook.ts"), ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const rss = Number(/maxrss (\d+)/.exec(stderr)?.[1] ?? 0) / 1024;
  return { seconds: (performance.now() - start) / 1000, rssMiB: Math.round(rss), code, stdout, stderr };
}

export async function run(args: string[]): Promise<BenchResult> {
  const count = args.includes("--quick") ? 10_000 : 100_000;
  const log = (line: string) => console.log(`  ${line}`);
  const fixture = await sealedFixture(count, log);
  const db = await createBenchDatabase(`sealbook_bench_evidence_${count}`, fixture.name);
  const sql = postgres(db.url, { max: 1, onnotice: () => {} });
  const [{ kid }] = await sql`select kid from signers limit 1`;
  await sql`insert into anchors (height, status, chain_id, registry, tx_hash, chain_block_number) values (1, 'confirmed', 31337, '0x5FbDB2315678afecb367f032d93F642f64180aa3', ${`0x${"11".repeat(32)}`}, 2)`;
  await sql.end();
  // The receipts' domain needs the chain id: a local node answers eth_chainId.
  const node = await startHardhatNode({ port: 8790 });
  const dir = await mkdtemp(path.join(tmpdir(), "sealbook-evidence-bench-"));
  try {
    const out = path.join(dir, "bench.sealbook.json");
    const report = path.join(dir, "bench.html");
    const env = { DATABASE_URL: db.url, LEDGER_ID: "bench", RPC_URL: node.rpcUrl, REGISTRY_ADDRESS: "0x5FbDB2315678afecb367f032d93F642f64180aa3", RECEIPT_PRIVATE_KEY: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d" };
    log(`sealbook evidence for ${count} records …`);
    const made = await timedCli(["evidence", "--signer", kid, "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--out", out, "--report", report, "--json"], env);
    if (made.code !== 0) throw new Error(`sealbook evidence failed (${made.code}): ${made.stderr.slice(-2000)}`);
    const summary = JSON.parse(made.stdout) as { included: number };
    log(`sealbook verify --offline …`);
    const checked = await timedCli(["verify", out, "--offline", "--json"], {});
    const verdict = JSON.parse(checked.stdout) as { verdict: string; counts: { pass: number; fail: number; skipped: number } };
    const [bundleBytes, reportBytes] = [(await stat(out)).size, (await stat(report)).size];
    return {
      title: `sealbook evidence and verify, ${count} records (PostgreSQL, receipts signed, --report)`,
      rows: [
        { step: "evidence (bundle + report)", records: summary.included, seconds: round3(made.seconds), "records/s": Math.round(summary.included / made.seconds), "peak RSS MiB": made.rssMiB, "bundle MiB": round3(bundleBytes / 2 ** 20), "report MiB": round3(reportBytes / 2 ** 20), target: "works for 100,000" },
        { step: "verify --offline", records: summary.included, seconds: round3(checked.seconds), "records/s": Math.round(summary.included / checked.seconds), "peak RSS MiB": checked.rssMiB, exit: checked.code, verdict: verdict.verdict, fail: verdict.counts.fail },
      ],
      notes: ["The producer holds only entry hashes and positions in memory; the verifier reads the whole file (JSON.parse)."],
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await node.stop();
    await db.drop();
  }
}
