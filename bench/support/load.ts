import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
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

/**
 * Runs autocannon in a separate Node process (so the load generator does not share the bench's
 * event loop) and returns its summary.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const file = path.join(tmpdir(), `sealbook-load-${process.pid}-${Date.now()}.json`);
  await writeFile(file, JSON.stringify(options));
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "load-child.ts"), file], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`The load generator failed (exit ${code}).`);
  return JSON.parse(out) as LoadResult;
}
