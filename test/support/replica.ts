/**
 * A real streaming replica of the test PostgreSQL server, for the read-replica tests: a second
 * cluster made with `pg_createcluster`, filled by `pg_basebackup -R` from 127.0.0.1:5432 and
 * started as a hot standby on a free port. Needs the Debian postgresql-common tools, root (or the
 * postgres user), and a `host replication` line for 127.0.0.1 in the primary's pg_hba.conf
 * (.ci/run adds it). `startReplica` returns the reason when it cannot run.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import postgres from "postgres";
import { adminUrl, skipReason } from "./db";
import { freePort } from "./chain";

const run = promisify(execFile);

export interface TestReplica {
  port: number;
  /** The replica's URL for database `name` (what the primary URL names, on the replica's port). */
  urlFor(primaryUrl: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Pauses or resumes WAL replay: a replica that lags on demand. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  drop(): Promise<void>;
}

async function has(command: string): Promise<boolean> {
  return run("sh", ["-c", `command -v ${command}`]).then(() => true, () => false);
}

/** Starts a hot standby of the test server, or says why it cannot. */
export async function startReplica(): Promise<TestReplica | string> {
  for (const tool of ["pg_createcluster", "pg_basebackup", "pg_ctlcluster", "pg_dropcluster", "pg_lsclusters", "pg_conftool"]) {
    if (!(await has(tool))) return `${tool} is not installed (Debian's postgresql-common), so no streaming replica can be made here`;
  }
  const primary = new URL(adminUrl);
  if (!["127.0.0.1", "localhost"].includes(primary.hostname)) return `the test server ${primary.hostname} is not on this machine`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  let version: string;
  try {
    const [row] = await admin<{ v: string }[]>`select current_setting('server_version_num') as v`;
    version = String(Math.floor(Number(row.v) / 10_000));
  } finally {
    await admin.end();
  }
  const name = `sbreplica_${randomBytes(4).toString("hex")}`;
  const port = await freePort();
  let dataDir = "";
  const ctl = (action: string) => run("pg_ctlcluster", ["--skip-systemctl-redirect", version, name, action]);
  const drop = async () => {
    await run("pg_dropcluster", ["--stop", version, name]).catch(() => {});
  };
  try {
    await run("pg_createcluster", [version, name, "-p", String(port)]);
    // Where Debian put the new cluster: `pg_lsclusters -h` prints version, name, port, status, owner, data directory, log file.
    dataDir = (await run("pg_lsclusters", ["-h", version, name])).stdout.trim().split(/\s+/)[5];
    const hbaFile = (await run("pg_conftool", ["-s", version, name, "show", "hba_file"])).stdout.trim();
    await run("sh", ["-c", `rm -rf '${dataDir}'/*`]);
    // The new cluster's own pg_hba.conf asks for passwords; the tests connect as the primary's trust setup does.
    await writeFile(hbaFile, "local all all trust\nhost all all 127.0.0.1/32 trust\n");
    await run("pg_basebackup", ["-h", primary.hostname, "-p", primary.port || "5432", "-U", primary.username || "postgres", "-D", dataDir, "-R", "-X", "stream", "-c", "fast"], { maxBuffer: 1 << 24 });
    await run("chown", ["-R", "postgres:postgres", dataDir]);
    await ctl("start");
  } catch (error) {
    await drop();
    return `a streaming replica could not be started: ${((error as { stderr?: string }).stderr || (error as Error).message).trim().split("\n").slice(-2).join(" ")}`;
  }
  const replicaAdmin = () => postgres({ host: "127.0.0.1", port, username: "postgres", database: "postgres", max: 1, onnotice: () => {} });
  const onReplica = async (query: string) => {
    const sql = replicaAdmin();
    try {
      await sql.unsafe(query);
    } finally {
      await sql.end();
    }
  };
  return {
    port,
    urlFor: (primaryUrl) => {
      const url = new URL(primaryUrl);
      url.port = String(port);
      return url.toString();
    },
    stop: async () => void (await ctl("stop")),
    start: async () => void (await ctl("start")),
    pauseReplay: () => onReplica("select pg_wal_replay_pause()"),
    resumeReplay: () => onReplica("select pg_wal_replay_resume()"),
    drop,
  };
}

/** Waits until `check` holds, at most `ms` (replication is asynchronous). */
export async function eventually(check: () => Promise<boolean>, ms = 60_000, what = "the condition"): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Waited ${ms / 1000} s for ${what}, in vain.`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A streaming replica for the tests of `what`, or the reason they are skipped (printed). With
 * SEALBOOK_REQUIRE_POSTGRES=1 a replica that cannot be made fails the tests instead.
 */
export async function replicaOrSkip(what: string): Promise<TestReplica | string> {
  const noPostgres = await skipReason("postgres");
  if (noPostgres) return noPostgres;
  const replica = await startReplica();
  if (typeof replica === "string") {
    if (process.env.SEALBOOK_REQUIRE_POSTGRES === "1") throw new Error(`${replica}, and SEALBOOK_REQUIRE_POSTGRES=1.`);
    console.log(`# skipping ${what}: ${replica}`);
  }
  return replica;
}
