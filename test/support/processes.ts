import { spawn, type SpawnOptions } from "node:child_process";

/** What a finished child process said. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `file args` to its end with `stdin` piped in (empty by default); resolves with its exit code and output. */
export function runToEnd(file: string, args: string[], options: SpawnOptions, stdin = ""): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...options, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin!.end(stdin);
  });
}
