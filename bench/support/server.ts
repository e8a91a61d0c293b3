import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
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

/**
 * Runs VACUUM ANALYZE on the database at `url`. A kept fixture needs it once: the copies made from
 * it (CREATE DATABASE … TEMPLATE) inherit its statistics but not the activity counters from which
 * autovacuum would decide to analyze them, so without it they are planned with no statistics at
 * all, as no live ledger is (a proof then took seconds, planned with hash joins and JIT).
 */
export async function analyzed(url: string): Promise<void> {
  const db = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await db.unsafe("vacuum analyze");
  } finally {
    await db.end();
  }
}

export interface BenchServer {
  url: string;
  pid: number;
  /** "chain on, receipts signed" or "chain off, no receipts": what the server ran, for the tables. */
  configuration: string;
  /** Resident set size of the server process now, in MiB (Linux). */
  rssMiB(): number;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  /**
   * true: as `npm start` runs by default, with a local Hardhat node (on a free port, its files in a
   * temporary SEALBOOK_DATA_DIR), a registry deployed on it and every accepted record answered with
   * a signed receipt; the server is ready once the registry is known. false: SEALBOOK_CHAIN=off, no
   * node, no anchoring, no receipts.
   */
  chain: boolean;
}

/** The configuration label of a bench server, for the first column of a table. */
export const configurationLabel = (chain: boolean) => (chain ? "chain on, receipts signed" : "chain off, no receipts");

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export async function freeTcpPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the real system (`scripts/start.ts`: the production Next.js build in a Node server) on
 * PostgreSQL, with sealing and demo data off, and the chain as `options` says, and waits until it
 * answers (with the chain: until its registry is deployed, so that receipts are signed).
 */
export async function startBenchServer(databaseUrl: string, port: number, env: Record<string, string> = {}, options: BenchServerOptions = { chain: false }): Promise<BenchServer> {
  const dataDir = options.chain ? await mkdtemp(path.join(tmpdir(), "sealbook-bench-")) : null;
  const chainEnv: Record<string, string | undefined> = dataDir
    ? { SEALBOOK_CHAIN: "auto", HARDHAT_PORT: String(await freeTcpPort()), SEALBOOK_DATA_DIR: dataDir, RPC_URL: undefined, REGISTRY_ADDRESS: undefined, ANCHOR_PRIVATE_KEY: undefined, RECEIPT_PRIVATE_KEY: undefined }
    : { SEALBOOK_CHAIN: "off" };
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), SEAL_INTERVAL_SECONDS: "0", SEALBOOK_DEMO: "0", NEXT_TELEMETRY_DISABLED: "1", RATE_LIMIT_SUBMISSIONS: "0", RATE_LIMIT_READS: "0", ...chainEnv, ...env };
  for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts", "start.ts")], {
    cwd: root,
    env: childEnv,
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
      if (response.ok && (!options.chain || ((await response.json()) as { registry: string | null }).registry)) break;
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
    configuration: configurationLabel(options.chain),
    rssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((resolve) => {
          const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve(null);
          });
        });
      }
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
