import { spawn, spawnSync } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export interface LoadOptions {
  url: string;
  method?: "GET" | "POST";
  /** Paths to request in turn (one per request, cycling), or one path. */
  paths?: string[];
  /** Bodies to send in turn, one per request; each is used once when `amount` equals their number. */
  bodies?: string[];
  contentType?: string;
  connections?: number;
  /** Stop after this many requests … */
  amount?: number;
  /** … or after this many seconds. */
  duration?: number;
  /** Requests per second across all connections (fixed-rate mode, latency corrected for coordinated omission). */
  overallRate?: number;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  /** CPU seconds the load generator itself used. */
  cpuSeconds: number;
}

/** Tells whether wrk (Debian package `wrk`) is installed. */
export const wrkAvailable = spawnSync("wrk", ["--version"], { stdio: "ignore" }).error === undefined;

/** Which load generator `runLoad` uses for these options. */
export function loadGeneratorFor(options: LoadOptions): "wrk" | "autocannon" {
  const forDuration = !options.amount && !options.overallRate;
  const oneThreadSafe = !options.bodies || (options.method === "POST" && (options.paths?.length ?? 1) === 1);
  return forDuration && oneThreadSafe && wrkAvailable ? "wrk" : "autocannon";
}

/**
 * Runs the load in a separate process (so the load generator does not share the bench's event
 * loop) and returns its summary. Loads for a duration run on wrk when it is installed: it is
 * written in C and costs the shared cores about a tenth of what autocannon does, which matters on
 * a 2-core machine where the generator competes with the server (GET paths in turn, or POST
 * bodies each sent once). Loads that stop after an amount, or hold a fixed rate, run on
 * autocannon, which does both.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (loadGeneratorFor(options) === "wrk") return runWrk(options);
  const file = path.join(tmpdir(), `sealbook-load-${process.pid}-${Date.now()}.json`);
  await writeFile(file, JSON.stringify(options));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "load-child.ts"), file], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`The load generator failed (exit ${code}).`);
  return JSON.parse(out) as LoadResult;
}

/** Runs wrk with bench/support/wrk.lua over `options.paths` and reads its JSON summary and CPU time. */
async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const stamp = `${process.pid}-${Date.now()}`;
  const pathsFile = path.join(tmpdir(), `sealbook-wrk-paths-${stamp}.txt`);
  await writeFile(pathsFile, (options.paths ?? ["/"]).join("\n") + "\n");
  const bodiesEnv: Record<string, string> = {};
  if (options.bodies) {
    if (options.bodies.some((b) => b.includes("\n"))) throw new Error("wrk bodies are read one per line: a body may not contain a newline.");
    bodiesEnv.WRK_BODIES = path.join(tmpdir(), `sealbook-wrk-bodies-${stamp}.txt`);
    bodiesEnv.WRK_CONTENT_TYPE = options.contentType ?? "application/json";
    await writeFile(bodiesEnv.WRK_BODIES, options.bodies.join("\n") + "\n");
  }
  const connections = options.connections ?? 16;
  const args = ["-t", "1", "-c", String(connections), "-d", `${options.duration ?? 10}s`, "--latency", "-s", path.join(import.meta.dirname, "wrk.lua"), new URL(options.url).origin];
  // `times` prints the CPU time of the shell's children (wrk) on its second line.
  const child = spawn("bash", ["-c", 'wrk "$@" && times', "wrk", ...args], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, WRK_PATHS: pathsFile, ...bodiesEnv } });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  await Promise.all([pathsFile, bodiesEnv.WRK_BODIES].filter(Boolean).map((file) => rm(file, { force: true })));
  if (code !== 0) throw new Error(`wrk failed (exit ${code}):\n${out}`);
  const lines = out.trim().split("\n");
  const summary = JSON.parse(lines.find((l) => l.startsWith("{"))!) as { requests: number; durationMicros: number; non2xx: number; errors: number; p50: number; p90: number; p99: number; max: number };
  const seconds = (text: string) => [...text.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  const durationSeconds = summary.durationMicros / 1e6;
  const ms = (micros: number) => Math.round(micros / 100) / 10;
  return {
    requests: summary.requests,
    durationSeconds,
    requestsPerSecond: summary.requests / durationSeconds,
    latency: { p50: ms(summary.p50), p90: ms(summary.p90), p99: ms(summary.p99), max: ms(summary.max) },
    non2xx: summary.non2xx,
    errors: summary.errors,
    statusCodes: {},
    cpuSeconds: seconds(lines[lines.length - 1]),
  };
}
