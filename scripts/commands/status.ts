import type { Command } from "../cli-kit";
import { ledgerOperation } from "../control/client";
import { commandSpec } from "./specs";

export const status: Command = {
  ...commandSpec("status"),
  async run({ values }) {
    const s = await ledgerOperation("status", {});
    if (values.json) console.log(JSON.stringify(s));
    else {
      console.log(`Ledger "${s.ledgerId}" (genesis ${s.genesisRoot})`);
      console.log(`  head: block ${s.head.height}, root ${s.head.root}${s.head.sealedAt ? `, sealed ${s.head.sealedAt}` : ""}`);
      console.log(`  entries: ${s.totalEntries} sealed, ${s.pendingCount} pending; anchored up to block ${s.anchoredHeight}`);
    }
  },
};
