import type { SealProgress } from "../../lib/ledger/seal";
import { endProgress, progressLine, throttle, type Command } from "../cli-kit";
import { ledgerOperation } from "../control/client";
import { commandSpec } from "./specs";

export const seal: Command = {
  ...commandSpec("seal"),
  async run({ values }) {
    const show = throttle<string>(250, progressLine);
    const block = await ledgerOperation("seal", {}, (progress) => {
      const p = progress as SealProgress;
      show(p.phase === "tiles" ? `sealing: ${p.done} tree tiles written` : `sealing: ${p.phase} ${p.done}/${p.total}`);
    });
    endProgress();
    if (values.json) {
      console.log(JSON.stringify(block));
      return;
    }
    if (!block) console.log("Nothing is pending: no block was sealed (a block is never empty).");
    else console.log(`Sealed block ${block.height}: ${block.entryCount} entries, root ${block.root}.`);
  },
};
