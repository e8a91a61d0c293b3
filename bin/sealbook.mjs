#!/usr/bin/env node
/**
 * The `sealbook` command: runs the compiled CLI from dist/cli, compiling it first when it is
 * missing or older than its sources (a fresh clone builds on first use, in about a second). If it
 * cannot be compiled, the TypeScript sources run through tsx instead, slower but the same program.
 */
import module from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { buildCli, freshBuild, markBuildInUse, projectRoot } from "../scripts/cli-build.mjs";

// Node keeps the compiled bytecode of the bundle here, which saves about a third of a cold start.
module.enableCompileCache?.(path.join(projectRoot, "dist", "cli", ".compile-cache"));

let entry = freshBuild();
if (!entry) {
  try {
    entry = await buildCli();
  } catch (error) {
    process.stderr.write(`sealbook: could not compile the CLI (${error instanceof Error ? error.message.split("\n")[0] : String(error)}); running it through tsx instead.\n`);
  }
}
if (entry) {
  markBuildInUse(entry);
  await import(pathToFileURL(entry).href);
}
else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(path.join(projectRoot, "scripts", "sealbook.ts")).href);
}
