import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import type { AuditReport } from "../../lib/ledger/audit";

const root = path.resolve(import.meta.dirname, "..", "..");

export interface SealbookRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Process start to exit. */
  seconds: number;
  /** The process's own CPU seconds (user + system), from GNU time; null without /usr/bin/time. */
  cpuSeconds: number | null;
}

/**
 * Runs the real `sealbook` CLI (scripts/sealbook.ts) with `args` in its own process, `env` added to
 * this one's, and returns what it printed and the time it took. `onStderrLine` receives its
 * progress lines (stderr) as they come, for a long command.
 */
export async function runSealbook(args: string[], env: Record<string, string>, onStderrLine?: (line: string) => void): Promise<SealbookRun> {
  // GNU time, where present, reports the process's own CPU seconds on stderr.
  const timed = existsSync("/usr/bin/time");
  const command = [process.execPath, "--import", "tsx", path.join(root, "scripts", "sealbook.ts"), ...args];
  const start = performance.now();
  const child = spawn(timed ? "/usr/bin/time" : command[0], timed ? ["-f", "cpu %U %S", ...command] : command.slice(1), {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => {
    stderr += d;
    // GNU time's closing line is not the command's progress.
    if (onStderrLine) for (const line of d.toString("utf8").split(/[\r\n]+/).filter((l) => l && !(timed && /^cpu [\d.]+ [\d.]+$/.test(l)))) onStderrLine(line);
  });
  const code = await new Promise<number | null>((resolve, reject) => child.once("error", reject).once("exit", resolve));
  const seconds = (performance.now() - start) / 1000;
  const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(stderr);
  // GNU time's own lines are not the command's.
  const own = timed ? stderr.replace(/(Command exited with non-zero status \d+\n)?cpu [\d.]+ [\d.]+\s*$/, "") : stderr;
  return { code, stdout, stderr: own, seconds, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : null };
}

/**
 * Runs `sealbook audit --json` on the ledger `ledgerId` at `databaseUrl` and returns its report with
 * the run's times. With `onProgress`, the CLI's progress lines are passed on; otherwise --quiet.
 * Throws when it prints no report.
 */
export async function runCliAudit(databaseUrl: string, ledgerId: string, onProgress?: (line: string) => void): Promise<SealbookRun & { report: AuditReport }> {
  const run = await runSealbook(["audit", "--json", ...(onProgress ? [] : ["--quiet"])], { DATABASE_URL: databaseUrl, LEDGER_ID: ledgerId }, onProgress);
  try {
    return { ...run, report: JSON.parse(run.stdout) as AuditReport };
  } catch (error) {
    throw new Error(`sealbook audit (exit ${run.code}) printed no JSON report:\n${run.stderr.slice(-2000)}`, { cause: error });
  }
}
