/**
 * Runs the `sealbook` command line (its sources, through tsx) in a child process, with extra
 * environment and optional stdin; resolves with its exit code and output. Not a test file itself.
 */
import path from "node:path";
import { runToEnd, type Finished } from "./processes";

export function runSealbook(args: string[], env: Record<string, string>, stdin = ""): Promise<Finished> {
  return runToEnd(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/sealbook.ts", ...args], { env: { ...process.env, SEALBOOK_CHAIN: "off", ...env } }, stdin);
}
