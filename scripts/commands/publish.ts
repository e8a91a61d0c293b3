import type { PublishProgress } from "../../lib/ledger/publish";
import { CliError, endProgress, progressLine, throttle, type Command } from "../cli-kit";
import { ledgerOperation } from "../control/client";
import { commandSpec } from "./specs";

export const publish: Command = {
  ...commandSpec("publish"),
  async run({ values }) {
    const from = values.from === undefined ? undefined : Number(values.from);
    if (from !== undefined && (!Number.isInteger(from) || from < 1)) throw new CliError(`--from must be a block height (1 or more), not ${JSON.stringify(values.from)}.`);
    const show = throttle<string>(250, progressLine);
    const result = await ledgerOperation("publish", { from, dir: values.dir as string | undefined }, (progress) => {
      const p = progress as PublishProgress;
      show(`publishing block ${p.height} of ${p.head}`);
    });
    endProgress();
    if (values.json) {
      console.log(JSON.stringify(result));
      return;
    }
    const { published, head, dir } = result;
    if (published.length === 0) console.log(head === 0 ? "Nothing is sealed yet: nothing to publish." : `Blocks up to ${head} are already published in ${dir}.`);
    else console.log(`Published block${published.length > 1 ? `s ${published[0]}-${published.at(-1)}` : ` ${published[0]}`} and ledger.json (head ${head}) in ${dir}.`);
  },
};
