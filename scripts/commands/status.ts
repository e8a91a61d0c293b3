import { getLedgerStatus } from "../../lib/ledger/reads";
import { serializeLedgerStatus } from "../../lib/http/serialize";
import type { Command } from "../cli-kit";
import { withLedger } from "./with-ledger";
import { commandSpec } from "./index";

export const status: Command = {
  ...commandSpec("status"),
  async run({ values }) {
    const s = serializeLedgerStatus(await withLedger((ledger) => getLedgerStatus(ledger)));
    if (values.json) console.log(JSON.stringify(s));
    else {
      console.log(`Ledger "${s.ledgerId}" (genesis ${s.genesisRoot})`);
      console.log(`  head: block ${s.head.height}, root ${s.head.root}${s.head.sealedAt ? `, sealed ${s.head.sealedAt}` : ""}`);
      console.log(`  entries: ${s.totalEntries} sealed, ${s.pendingCount} pending; anchored up to block ${s.anchoredHeight}`);
    }
  },
};
