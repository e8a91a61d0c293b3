import { sealPendingEntries } from "../../lib/ledger/seal";
import { endProgress, progressLine, throttle, type Command } from "../cli-kit";
import { withLedger } from "./with-ledger";
import { commandSpec } from "./index";

export const seal: Command = {
  ...commandSpec("seal"),
  async run({ values }) {
    const show = throttle<string>(250, progressLine);
    const block = await withLedger((ledger) =>
      sealPendingEntries(ledger, {
        onProgress: (p) => {
          if (p.phase === "done") return;
          show(p.phase === "tiles" ? `sealing: ${p.done} tree tiles written` : `sealing: ${p.phase} ${p.done}/${p.total}`);
        },
      }),
    );
    endProgress();
    if (values.json) {
      console.log(JSON.stringify(block ? { ...block, sealedAt: block.sealedAt.toISOString() } : null));
      return;
    }
    if (!block) console.log("Nothing is pending: no block was sealed (a block is never empty).");
    else console.log(`Sealed block ${block.height}: ${block.entryCount} entries, root ${block.root}.`);
  },
};
