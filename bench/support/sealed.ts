import { spawn } from "node:child_process";
import path from "node:path";
import postgres from "postgres";
import { pendingTemplate } from "./million";
import { analyzed, benchAdminUrl, createBenchDatabase, databaseExists } from "./server";

export interface SealMeasurement {
  seconds: number;
  entryCount: number;
  root: string;
  peakRssMiB: number;
  phasesMs: Record<string, number>;
}

/** Seals the pending entries of the database at `url` in a fresh child process and returns what it measured. */
export async function sealInChildProcess(url: string): Promise<SealMeasurement> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "seal-child.ts"), url], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`Sealing failed in the child process (exit ${code}).`);
  return JSON.parse(out) as SealMeasurement;
}

/**
 * A database whose `count` fixture entries are sealed into one block, kept between runs.
 * Returns its name and URL; built from the pending template on first use (sealing it once).
 */
export async function sealedFixture(count: number, log: (line: string) => void): Promise<{ name: string; url: string; sealed?: SealMeasurement }> {
  const name = `sealbook_bench_sealed_${count}_v10`; // v10: the compact rows of migration 0010
  const url = new URL(benchAdminUrl);
  url.pathname = `/${name}`;
  if (await databaseExists(name)) return { name, url: url.toString() };
  const template = await pendingTemplate(count, log);
  const building = await createBenchDatabase(`${name}_building`, template);
  log(`sealing the ${count}-entry fixture once …`);
  const sealed = await sealInChildProcess(building.url);
  await analyzed(building.url);
  const admin = postgres(benchAdminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`alter database ${name}_building rename to ${name}`);
  await admin.end();
  return { name, url: url.toString(), sealed };
}
