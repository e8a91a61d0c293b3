import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/**
 * CPU seconds (user + system) used so far by the process `pid`, from /proc (Linux); with
 * `withReapedChildren`, plus what its children that have ended used (they were waited for).
 */
function processCpuSeconds(pid: number, withReapedChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const own = Number(fields[11]) + Number(fields[12]);
    const children = withReapedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
    return (own + children) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used so far by all PostgreSQL server processes on this machine, including the
 * backends that have ended: the postmaster waits for each, and the kernel adds their time to its
 * children's total. Without that, a client that disconnects before the second snapshot (the
 * audit CLI) would seem to have cost PostgreSQL nothing.
 */
function postgresCpuSeconds(): number {
  let total = 0;
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const comm = readFileSync(`/proc/${name}/comm`, "utf8").trim();
      if (comm === "postgres") total += processCpuSeconds(Number(name), true);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** The live processes started by `pid`, and theirs, from /proc (Linux). */
function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found; // the process ended meanwhile
  }
  for (const task of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").split(" ").filter(Boolean).map(Number)) {
        found.push(child, ...descendantsOf(child));
      }
    } catch {
      // the thread ended meanwhile
    }
  }
  return found;
}

export interface CpuSnapshot {
  server: number;
  postgres: number;
}

/**
 * CPU used so far by the server process (with the processes it started: with the chain on, its
 * local Hardhat node) and by PostgreSQL.
 */
export function cpuSnapshot(serverPid: number): CpuSnapshot {
  const server = [serverPid, ...descendantsOf(serverPid)].reduce((sum, pid) => sum + processCpuSeconds(pid), 0);
  return { server, postgres: postgresCpuSeconds() };
}

/**
 * CPU milliseconds per request spent by the server, by PostgreSQL and by the load generator
 * between two snapshots, and the request rate those costs allow on `cores` cores if nothing else
 * ran: the physical ceiling of this machine for that endpoint.
 */
export function cpuPerRequest(before: CpuSnapshot, after: CpuSnapshot, loadCpuSeconds: number, requests: number, cores: number) {
  const server = ((after.server - before.server) * 1000) / requests;
  const postgres = ((after.postgres - before.postgres) * 1000) / requests;
  const load = (loadCpuSeconds * 1000) / requests;
  const total = server + postgres + load;
  return { server, postgres, load, total, ceiling: (cores * 1000) / total };
}
