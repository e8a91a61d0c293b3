import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

/** A TCP port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Everything it wrote to standard output so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts test/ops/support/server-child.ts with `env` on a free port and waits until it is ready (GET /api/v1/health/ready is 200). */
export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--no-memory-protection-keys", "--import", "tsx", path.join(import.meta.dirname, "server-child.ts")], {
    env: { ...process.env, SEALBOOK_CHAIN: "off", SEALBOOK_DEMO: "0", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    if (child.exitCode !== null) throw new Error(`The server exited early (${child.exitCode}):\n${stdout}\n${stderr}`);
    if (tries > 600) {
      child.kill("SIGKILL");
      throw new Error(`The server did not become ready:\n${stdout}\n${stderr}`);
    }
    const ready = await fetch(`${url}/api/v1/health/ready`).then((r) => r.status === 200, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, stdout: () => stdout, stderr: () => stderr, exited };
}
