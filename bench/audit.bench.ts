/**
 * `npm run bench audit`: `sealbook audit` over a 200,000-entry ledger on PostgreSQL, entries per
 * second, beside the raw Ed25519 verification rate of this machine measured in the same run (the
 * audit verifies every signature, so that rate bounds it).
 */
import { existsSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { spawn } from "node:child_process";
import path from "node:path";
import type { BenchResult } from "./harness";
import { round3 } from "./harness";
import { cpuSnapshot } from "./support/cpu";
import { rawVerifyRate } from "./support/ingest-setup";
import { sealedFixture } from "./support/sealed";

export async function run(args: string[]): Promise<BenchResult> {
  const count = args.includes("--quick") ? 50_000 : 200_000;
  const log = (line: string) => console.log(`  ${line}`);
  const fixture = await sealedFixture(count, log);
  const raw = await rawVerifyRate(availableParallelism());
  log(`auditing ${count} entries with the real CLI …`);
  const start = performance.now();
  // GNU time, where present, reports the audit process's own CPU seconds on stderr.
  const timed = existsSync("/usr/bin/time");
  const command = [process.execPath, "--import", "tsx", path.resolve(import.meta.dirname, "..", "scripts", "sealbook.ts"), "audit", "--json", "--quiet"];
  const before = cpuSnapshot(process.pid);
  const child = spawn(timed ? "/usr/bin/time" : command[0], timed ? ["-f", "cpu %U %S", ...command] : command.slice(1), {
    env: { ...process.env, DATABASE_URL: fixture.url, LEDGER_ID: "bench" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  const seconds = (performance.now() - start) / 1000;
  const after = cpuSnapshot(process.pid);
  const report = JSON.parse(out) as { ok: boolean; checked: { entries: number }; findings: unknown[] };
  const rate = report.checked.entries / seconds;
  const cpuMatch = /cpu ([\d.]+) ([\d.]+)/.exec(err);
  const auditCpuMs = cpuMatch ? ((Number(cpuMatch[1]) + Number(cpuMatch[2])) * 1000) / report.checked.entries : null;
  const postgresCpuMs = ((after.postgres - before.postgres) * 1000) / report.checked.entries;
  return {
    title: `sealbook audit over ${count.toLocaleString("en")} entries (one sealed block), PostgreSQL`,
    rows: [
      { measure: "entries audited", value: report.checked.entries, target: count },
      { measure: "findings (exit code)", value: `${report.findings.length} (${code})`, target: "0 (0)" },
      { measure: "audit, entries/s (process start to exit)", value: Math.round(rate), target: "≥ 5,000" },
      { measure: `raw Ed25519 verify/s on ${availableParallelism()} cores (same run)`, value: Math.round(raw), target: "reference" },
      { measure: "audit ÷ raw verify", value: round3(rate / raw), target: "" },
      { measure: "CPU per entry: audit process / PostgreSQL (ms)", value: auditCpuMs === null ? "n/a (no /usr/bin/time)" : `${round3(auditCpuMs)} / ${round3(postgresCpuMs)}`, target: "" },
      {
        measure: `ceiling those costs allow on ${availableParallelism()} idle cores (entries/s)`,
        value: auditCpuMs === null ? "n/a" : Math.round((availableParallelism() * 1000) / (auditCpuMs + postgresCpuMs)),
        target: "",
      },
    ],
    notes: [`Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(", ")}.`],
  };
}
