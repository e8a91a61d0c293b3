import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";

const root = path.resolve(import.meta.dirname, "..", "..");

/** The PostgreSQL server benchmarks create their databases on. */
export const benchAdminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** Creates an empty database (optionally from a template) and returns its URL and a drop function. */
export async function createBenchDatabase(name: string, template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = postgres(benchAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ""}`);
  await admin.end();
  const url = new URL(benchAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(benchAdminUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** Tells whether a database exists on the bench server. */
export async function databaseExists(name: string): Promise<boolean> {
  const admin = postgres(benchAdminUrl, { max: 1, onnotice: () => {} });
  const rows = await admin`select 1 from pg_database where datname = ${name}`;
  await admin.end();
  return rows.length > 0;
}

export interface BenchServer {
  url: string;
  pid: number;
  /** Resident set size of the server process now, in MiB (Linux). */
  rssMiB(): number;
  stop(): Promise<void>;
}

/**
 * Starts the real system (`scripts/start.ts`: the production Next.js build in a Node server) on
 * PostgreSQL, with sealing, demo data and the chain off, and waits until it answers.
 */
export async function startBenchServer(databaseUrl: string, port: number, env: Record<string, string> = {}): Promise<BenchServer> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start.ts")], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), SEAL_INTERVAL_SECONDS: "0", SEALBOOK_DEMO: "0", SEALBOOK_CHAIN: "off", NEXT_TELEMETRY_DISABLED: "1", RATE_LIMIT_SUBMISSIONS: "0", RATE_LIMIT_READS: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/api/v1/ledger`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The server did not answer within 4 minutes:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    url,
    pid: child.pid!,
    rssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve(null);
        });
      });
    },
  };
}
