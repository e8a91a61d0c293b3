/**
 * Runs the `sealbook` command line in a child process, with extra environment and optional stdin;
 * resolves with its exit code and output. Not a test file itself.
 */
import { spawn } from "node:child_process";
import path from "node:path";

export function runSealbook(args: string[], env: Record<string, string>, stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/sealbook.ts", ...args], {
      env: { ...process.env, SEALBOOK_CHAIN: "off", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
