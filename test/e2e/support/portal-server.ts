/**
 * The whole system as `npm start` runs it (scripts/start.ts), started as a child process for the
 * browser tests and the page benchmark. Not a test file itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export interface PortalServer {
  baseUrl: string;
  port: number;
  /** The last lines the server printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface PortalServerOptions {
  /** Environment for scripts/start.ts (DATABASE_URL, LEDGER_ID, …); PORT is chosen here. */
  env: Record<string, string>;
  /** The project folder (default: the current directory). */
  cwd?: string;
  /** How long to wait for it to serve, a build included (default 6 minutes). */
  timeoutMs?: number;
  /** Ports to pick a free one from (default 3300-3399). */
  portRange?: [number, number];
}

/** A free TCP port on 127.0.0.1 within `[from, to]`. */
export async function freePortIn(from: number, to: number): Promise<number> {
  const span = to - from + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const port = from + ((start + i) % span);
    const free = await new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`No free TCP port between ${from} and ${to}.`);
}

/**
 * Forgets the pages Next.js rendered and cached at run time (sealed block pages are cached). They
 * belong to whatever database the last server used, so a server on a fresh database must not
 * serve them.
 */
export function clearRenderedPageCache(cwd: string): void {
  const cache = path.join(cwd, ".next", "server", "route-cache");
  if (existsSync(cache)) rmSync(cache, { recursive: true, force: true });
}

/**
 * Starts scripts/start.ts (which builds the portal first if its sources changed) and waits until
 * it serves. Throws with the end of its output when it exits early or does not answer in time.
 */
export async function startPortalServer(options: PortalServerOptions): Promise<PortalServer> {
  const cwd = options.cwd ?? process.cwd();
  const [from, to] = options.portRange ?? [3300, 3399];
  const port = await freePortIn(from, to);
  clearRenderedPageCache(cwd);
  const tsxCli = path.join(cwd, "node_modules", "tsx", "dist", "cli.mjs");
  const child: ChildProcess = spawn(process.execPath, [tsxCli, "scripts/start.ts"], {
    cwd,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...options.env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 60));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const baseUrl = `http://localhost:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 360_000);
  for (;;) {
    if (!running) throw new Error(`scripts/start.ts exited before serving. Its output ended with:\n${lines.join("\n")}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`scripts/start.ts did not serve ${baseUrl} in time. Its output ended with:\n${lines.join("\n")}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/v1/ledger`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }

  return {
    baseUrl,
    port,
    output: () => lines.join("\n"),
    async stop() {
      if (!running) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
