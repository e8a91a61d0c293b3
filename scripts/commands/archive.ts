import type { ArchiveProgress } from "../../lib/ledger/archive";
import { CliError, endProgress, progressLine, throttle, type Command } from "../cli-kit";
import { ledgerOperation } from "../control/client";
import { commandSpec } from "./specs";

const PHASES: Record<ArchiveProgress["phase"], string> = {
  anchors: "checking anchors",
  files: "checking published files",
  partitions: "choosing partitions",
  detach: "detaching partitions",
};

export const archive: Command = {
  ...commandSpec("archive"),
  async run({ values }) {
    const below = Number(values.below);
    if (values.below === undefined || !Number.isInteger(below) || below < 2) throw new CliError(`--below must be a block height (2 or more), not ${JSON.stringify(values.below)}.`);
    const show = throttle<string>(250, progressLine);
    const result = await ledgerOperation("archive", { below, dir: values.dir as string | undefined }, (progress) => {
      const p = progress as ArchiveProgress;
      show(p.total > 0 ? `${PHASES[p.phase]}: ${p.done}/${p.total}` : PHASES[p.phase]);
    });
    endProgress();
    if (values.json) {
      console.log(JSON.stringify(result));
      return;
    }
    console.log(`Blocks below ${result.below} are archived: ${result.checked} block${result.checked === 1 ? "" : "s"} checked against the files in ${result.dir}.`);
    if (result.detached.length === 0) console.log("No partition holds only those blocks yet; nothing was detached.");
    for (const p of result.detached) console.log(`  detached ${p.table} partition ${p.name} (keys ${p.lower ?? "…"} to ${p.upper! - 1}) into sealbook_archive.${p.name}`);
  },
};
