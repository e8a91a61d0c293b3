/**
 * `npm run bench [name ...]`: runs the named benchmarks (all when none is named), prints a table
 * for each and writes the figures as JSON to bench/results/NAME-TIMESTAMP.json.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { BenchModule, BenchResult } from "./harness";

const benchDir = path.dirname(new URL(import.meta.url).pathname);

async function availableBenches(): Promise<string[]> {
  const files = await readdir(benchDir);
  return files
    .filter((f) => f.endsWith(".bench.ts"))
    .map((f) => f.replace(/\.bench\.ts$/, ""))
    .sort();
}

function printResult(name: string, result: BenchResult): void {
  console.log(`\n== ${name}: ${result.title}`);
  if (result.rows.length > 0) console.table(result.rows);
  for (const note of result.notes ?? []) console.log(`  - ${note}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const known = await availableBenches();
  if (args.includes("--help") || args.includes("-h")) {
    console.log(`Usage: npm run bench [name ...]\n\nBenchmarks: ${known.join(", ")}\nResults are printed and written to bench/results/.`);
    return;
  }
  const names = args.filter((a) => !a.startsWith("-"));
  const selected = names.length > 0 ? names : known;
  for (const name of selected) {
    if (!known.includes(name)) {
      console.error(`No benchmark named "${name}". Known: ${known.join(", ")}.`);
      process.exitCode = 2;
      return;
    }
  }
  await mkdir(path.join(benchDir, "results"), { recursive: true });
  for (const name of selected) {
    const mod = (await import(`./${name}.bench.ts`)) as BenchModule;
    console.log(`\nRunning ${name} …`);
    const result = await mod.run(args.filter((a) => a.startsWith("-")));
    printResult(name, result);
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const file = path.join(benchDir, "results", `${name}-${stamp}.json`);
    await writeFile(file, JSON.stringify({ name, at: new Date().toISOString(), node: process.version, ...result }, null, 2));
    console.log(`  written to bench/results/${path.basename(file)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
