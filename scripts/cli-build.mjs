/**
 * Compiles the `sealbook` command line (scripts/sealbook.ts) to JavaScript in dist/cli, and says
 * whether the compiled copy is older than its sources. Plain JavaScript, because it runs before
 * anything is compiled. Used by bin/sealbook.mjs; `node scripts/cli-build.mjs` builds by hand.
 *
 * Why: tsx transpiles the whole program at every start (2.4 s for `sealbook help`); the bundle
 * starts in about 0.1 s. Packages are bundled too, except those that load files beside their own
 * code (PGlite's WebAssembly, argon2's native addon) or are never imported by the CLI.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** The project folder. */
export const projectRoot = path.resolve(import.meta.dirname, "..");
const distDir = path.join(projectRoot, "dist", "cli");
/** Names the current build and the sources it was built from. */
const manifestFile = path.join(distDir, "manifest.json");
/** Files outside the bundle's inputs whose change means a rebuild. */
const alwaysWatched = ["package.json", "package-lock.json", "scripts/cli-build.mjs", "db/migrations/meta/_journal.json"];
const external = ["@electric-sql/*", "@node-rs/*", "hardhat", "@nomicfoundation/*", "next", "solc", "playwright-core"];

/**
 * The compiled entry point if it exists and no source changed since it was built, else null.
 * Costs one stat per source file (a few milliseconds).
 */
export function freshBuild() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  } catch {
    return null;
  }
  const entry = path.join(distDir, manifest.dir, "sealbook.mjs");
  if (!existsSync(entry)) return null;
  for (const file of manifest.inputs) {
    let mtime;
    try {
      mtime = statSync(path.join(projectRoot, file)).mtimeMs;
    } catch {
      return null;
    }
    if (mtime > manifest.builtAt) return null;
  }
  return entry;
}

/**
 * Builds the CLI into a new folder under dist/cli and then points the manifest at it, so a
 * process that is running an older build keeps its files, and two builds at once do no harm.
 * Returns the compiled entry point. Throws esbuild's error when the sources do not compile.
 */
export async function buildCli() {
  const { build } = await import("esbuild");
  const startedAt = Date.now();
  const dir = `build-${startedAt}-${process.pid}`;
  const outdir = path.join(distDir, dir);
  const result = await build({
    absWorkingDir: projectRoot,
    entryPoints: { sealbook: "scripts/sealbook.ts" },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    external,
    // Bundled CommonJS packages call require(); ESM has none, so each chunk makes one.
    banner: { js: 'import { createRequire as __sealbookRequire } from "node:module"; const require = __sealbookRequire(import.meta.url);' },
    metafile: true,
    logLevel: "silent",
  });
  // db/client.ts finds its migrations beside itself (import.meta.dirname) when run outside the project folder.
  cpSync(path.join(projectRoot, "db", "migrations"), path.join(outdir, "migrations"), { recursive: true });
  const inputs = [...new Set([...Object.keys(result.metafile.inputs).filter((f) => !f.includes("node_modules/")), ...alwaysWatched])];
  const temp = `${manifestFile}.${process.pid}`;
  writeFileSync(temp, JSON.stringify({ dir, builtAt: startedAt, inputs }, null, 1));
  renameSync(temp, manifestFile);
  removeOldBuilds(dir);
  return path.join(outdir, "sealbook.mjs");
}

/**
 * Notes that this process runs the build holding `entry` until it exits, so that no later build
 * removes it: a long `sealbook worker` may load one of its chunks hours after it started.
 */
export function markBuildInUse(entry) {
  const dir = path.join(path.dirname(entry), "running");
  try {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, String(process.pid));
    writeFileSync(file, "");
    process.once("exit", () => rmSync(file, { force: true }));
  } catch {
    // A read-only checkout: nothing will remove the build either.
  }
}

/** Removes the builds other than `current` that no live process runs and that are over a minute old (one may be starting). */
function removeOldBuilds(current) {
  for (const name of readdirSync(distDir)) {
    const match = /^build-(\d+)-\d+$/.exec(name);
    if (!match || name === current || Date.now() - Number(match[1]) < 60_000) continue;
    if (hasLiveProcess(path.join(distDir, name, "running"))) continue;
    rmSync(path.join(distDir, name), { recursive: true, force: true });
  }
}

function hasLiveProcess(runningDir) {
  let pids;
  try {
    pids = readdirSync(runningDir);
  } catch {
    return false;
  }
  return pids.some((pid) => {
    try {
      process.kill(Number(pid), 0);
      return true;
    } catch (error) {
      return error.code === "EPERM";
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const entry = await buildCli();
  console.log(`Built ${path.relative(projectRoot, entry)}.`);
}
