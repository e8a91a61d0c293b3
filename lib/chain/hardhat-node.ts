import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { loadRootRegistryArtifact, RootRegistryArtifactError } from "./artifact";

/** A local Hardhat node running as a child process. */
export interface HardhatNode {
  rpcUrl: string;
  port: number;
  pid: number;
  /** Stops the node (SIGTERM, then SIGKILL after 3 s) and waits for it to exit. Its chain state is gone. */
  stop(): Promise<void>;
}

export interface HardhatNodeOptions {
  port: number;
  /** Another chain id than Hardhat's 31337 (tests use it to play a public chain). */
  chainId?: number;
  /** The project folder holding hardhat.config.ts (default: the current directory). */
  cwd?: string;
  /** Where the node's output goes (it logs every RPC call); discarded when unset. */
  logFile?: string;
  /** How long to wait for it to answer (default 60 s). */
  timeoutMs?: number;
}

/** The Hardhat command line script, run with this process's Node (never whatever `node` is on PATH). */
function hardhatCli(cwd: string): string {
  const cli = path.join(cwd, "node_modules", "hardhat", "dist", "src", "cli.js");
  if (!existsSync(cli)) throw new Error(`Cannot find Hardhat at ${cli}: run \`npm ci\` in the project folder first.`);
  return cli;
}

/**
 * Starts `hardhat node` on 127.0.0.1:`port` and waits until it answers `eth_chainId`. The node is
 * killed when this process exits, even on a crash. Throws an Error when the port is taken (naming
 * HARDHAT_PORT), when the node exits early (with the end of its output), or on timeout.
 */
export async function startHardhatNode(options: HardhatNodeOptions): Promise<HardhatNode> {
  const cwd = options.cwd ?? process.cwd();
  const { port } = options;
  if (await portAnswers(port)) {
    throw new Error(`Port ${port} on 127.0.0.1 is already in use, so the local Hardhat node cannot start there: set HARDHAT_PORT to a free port, or RPC_URL to use a running chain.`);
  }
  const args = [hardhatCli(cwd), "node", "--hostname", "127.0.0.1", "--port", String(port)];
  if (options.chainId !== undefined) args.push("--chain-id", String(options.chainId));
  const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" } });
  const tail: string[] = [];
  let sink: NodeJS.WritableStream | null = null;
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    sink = createWriteStream(options.logFile, { flags: "a" });
  }
  const keep = (chunk: Buffer) => {
    sink?.write(chunk);
    tail.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 15));
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const rpcUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let running = true;
  void exited.then(() => {
    running = false;
  });
  while (!(await rpcAnswers(rpcUrl))) {
    if (!running || Date.now() > deadline) {
      child.kill("SIGKILL");
      process.removeListener("exit", killOnExit);
      sink?.end();
      const why = running ? `did not answer within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s` : "exited";
      throw new Error(`The local Hardhat node on port ${port} ${why}. Its last output:\n${tail.join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    rpcUrl,
    port,
    pid: child.pid ?? -1,
    stop: () => stopChild(child, exited, () => {
      process.removeListener("exit", killOnExit);
      sink?.end();
    }),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, cleanup: () => void): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
  }
  cleanup();
}

async function rpcAnswers(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok;
  } catch {
    // Not listening yet: the caller polls again.
    return false;
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Makes sure the compiled RootRegistry artifact exists, running `hardhat build` (with this process's
 * Node) when it does not. Throws when the build fails.
 */
export async function ensureRegistryArtifact(log: (line: string) => void, cwd: string = process.cwd()): Promise<void> {
  try {
    await loadRootRegistryArtifact(path.join(cwd, "artifacts"));
    return;
  } catch (error) {
    if (!(error instanceof RootRegistryArtifactError)) throw error;
  }
  log("the contracts are not compiled yet: running `hardhat build` …");
  const result = spawnSync(process.execPath, [hardhatCli(cwd), "build"], { cwd, stdio: "inherit" });
  if (result.status !== 0) throw new Error("`hardhat build` failed; see the output above.");
  await loadRootRegistryArtifact(path.join(cwd, "artifacts"));
}
