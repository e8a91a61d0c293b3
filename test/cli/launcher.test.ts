/**
 * bin/sealbook.mjs, the `sealbook` command: it runs the CLI compiled into dist/cli, compiles it on
 * first use, and again when a source is newer than the build.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, utimesSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(import.meta.dirname, "..", "..");
const manifestFile = path.join(root, "dist", "cli", "manifest.json");
const version = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { version: string }).version;

function sealbook(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(root, "bin", "sealbook.mjs"), ...args], { cwd: root, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

const currentBuild = () => (JSON.parse(readFileSync(manifestFile, "utf8")) as { dir: string; inputs: string[] });

describe("the sealbook launcher", () => {
  it("prints the package's version, compiled and through tsx alike", () => {
    assert.equal(sealbook("--version"), `sealbook ${version}\n`);
    const viaTsx = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts", "sealbook.ts"), "--version"], { cwd: root, encoding: "utf8" });
    assert.equal(viaTsx.stdout, `sealbook ${version}\n`);
  });

  it("lists every command in help", () => {
    const help = sealbook("help");
    for (const name of ["keygen", "signer add", "seal", "status", "audit", "verify", "monitor", "admin create"]) assert.match(help, new RegExp(`^  ${name} `, "m"));
  });

  it("reuses the compiled CLI until a source changes, then compiles it again", () => {
    sealbook("--version");
    const before = currentBuild();
    sealbook("--version");
    assert.equal(currentBuild().dir, before.dir, "an unchanged source must not rebuild");
    assert.ok(before.inputs.includes("scripts/commands/status.ts") && before.inputs.includes("lib/ledger/reads.ts"), "the build lists its sources");

    const source = path.join(root, "scripts", "cli-kit.ts");
    const { atime, mtime } = statSync(source);
    try {
      const later = new Date(Date.now() + 5_000);
      utimesSync(source, later, later);
      assert.equal(sealbook("--version"), `sealbook ${version}\n`);
      assert.notEqual(currentBuild().dir, before.dir, "a changed source must rebuild");
    } finally {
      utimesSync(source, atime, mtime);
    }
  });
});
