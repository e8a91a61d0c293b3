// Runs Node's test runner through tsx with the arguments given, and runs again, once, each test
// file whose process died of the V8 crash the README describes under "Tests" (a known V8 bug with
// Node 24 and WebAssembly, seen about once in three full runs here despite the flags that make it
// rarer). It says so when it does. Any other failure, or a file that fails again, fails the run.
import { spawn } from "node:child_process";

const V8_CRASH = "Check failed: jit_page_->allocations_.erase(addr) == 1";

/** Runs tsx with `args`, passing its output through, and returns its exit code and output. */
function run(args) {
  return new Promise((resolve) => {
    const child = spawn("tsx", args, { stdio: ["inherit", "pipe", "pipe"], shell: process.platform === "win32" });
    let output = "";
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      process.stderr.write(chunk);
      output += chunk;
    });
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

/** The test files the runner's summary names as failed as a whole (`test at FILE:1:1`), and whether any single test failed. */
function failures(output) {
  const summary = output.slice(output.lastIndexOf("failing tests:"));
  const files = new Set();
  let singleTests = false;
  for (const [, file, line, column] of summary.matchAll(/^test at (.+?):(\d+):(\d+)$/gm)) {
    if (line === "1" && column === "1") files.add(file);
    else singleTests = true;
  }
  return { files: [...files], singleTests };
}

const args = process.argv.slice(2);
const first = await run(args);
if (first.code === 0) process.exit(0);
const { files, singleTests } = failures(first.output);
if (!first.output.includes(V8_CRASH) || singleTests || files.length === 0) process.exit(first.code);

console.log(`\n== ${files.length} test file(s) died of the known V8 crash (${V8_CRASH}); running them again, once:\n${files.join("\n")}\n`);
const flags = args.filter((a) => a.startsWith("-"));
const again = await run([...flags, ...files]);
if (again.code === 0) console.log(`\n== passed when run again: ${files.join(", ")}. Every other test file had passed in the first run.`);
process.exit(again.code);
