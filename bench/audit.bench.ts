/**
 * `npm run bench audit`: `sealbook audit` over a 200,000-entry ledger on PostgreSQL, entries per
 * second, beside the raw Ed25519 verification rate of this machine measured in the same run (the
 * audit verifies every signature, so that rate bounds it).
 */
import { availableParallelism, loadavg } from "node:os";
import type { BenchResult } from "./harness";
import { round3 } from "./harness";
import { runCliAudit } from "./support/sealbook-cli";
import { cpuSnapshot } from "./support/cpu";
import { rawVerifyRate } from "./support/ingest-setup";
import { sealedFixture } from "./support/sealed";

export async function run(args: string[]): Promise<BenchResult> {
  const count = args.includes("--quick") ? 50_000 : 200_000;
  const log = (line: string) => console.log(`  ${line}`);
  const fixture = await sealedFixture(count, log);
  const raw = await rawVerifyRate(availableParallelism());
  log(`auditing ${count} entries with the real CLI …`);
  const before = cpuSnapshot(process.pid);
  const { report, code, seconds, cpuSeconds } = await runCliAudit(fixture.url, "bench");
  const after = cpuSnapshot(process.pid);
  const rate = report.checked.entries / seconds;
  const auditCpuMs = cpuSeconds === null ? null : (cpuSeconds * 1000) / report.checked.entries;
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
