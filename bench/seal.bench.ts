/**
 * `npm run bench seal`: sealing a pending set of 1,000,000 entries end to end on PostgreSQL (under
 * the ledger lock: read the pending hashes, build the tree, commit the header; then write the leaf
 * positions and the tree tiles), in
 * a fresh process, with its peak RSS. The reference is the tree build alone with the library on
 * 100k entries, scaled, measured in the same run.
 */
import { randomBytes } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { BenchResult } from "./harness";
import { round3 } from "./harness";
import { pendingTemplate } from "./support/million";
import { sealInChildProcess } from "./support/sealed";
import { createBenchDatabase } from "./support/server";

export async function run(args: string[]): Promise<BenchResult> {
  const count = args.includes("--quick") ? 100_000 : 1_000_000;
  const log = (line: string) => console.log(`  ${line}`);
  const template = await pendingTemplate(count, log);
  const database = await createBenchDatabase("sealbook_bench_seal", template);
  try {
    log(`sealing ${count} pending entries …`);
    const sealed = await sealInChildProcess(database.url);
    log("reference: StandardMerkleTree.of on 100k entries …");
    const entries = Array.from({ length: 100_000 }, () => [`0x${randomBytes(32).toString("hex")}`]);
    const start = performance.now();
    StandardMerkleTree.of(entries, ["bytes32"]);
    const libraryTreeSeconds = ((performance.now() - start) / 1000) * (count / 100_000);
    const phase = (name: string) => round3((sealed.phasesMs[name] ?? 0) / 1000);
    return {
      title: `seal ${count.toLocaleString("en")} pending entries into one block, PostgreSQL`,
      rows: [
        { measure: "entries sealed", value: sealed.entryCount, target: count },
        { measure: "seal, end to end (s)", value: round3(sealed.seconds), target: "report" },
        { measure: "  under the ledger lock: read pending hashes (s)", value: phase("collect"), target: "" },
        { measure: "  under the ledger lock: build the tree, commit the header (s)", value: phase("tree"), target: "" },
        { measure: "  lock released; derived data transaction starts (s)", value: phase("committed"), target: "" },
        { measure: "  write leaf positions (s)", value: phase("leaves"), target: "" },
        { measure: "  write tree tiles (s)", value: phase("tiles"), target: "" },
        { measure: "peak RSS of the sealing process (MiB)", value: Math.round(sealed.peakRssMiB), target: "< 1024" },
        { measure: "library tree build alone, scaled from 100k (s)", value: round3(libraryTreeSeconds), target: "reference" },
      ],
      notes: [`root ${sealed.root}`, "The library figure is StandardMerkleTree.of on 100,000 entries in this run, times the size ratio (it is at least linear)."],
    };
  } finally {
    await database.drop();
  }
}
