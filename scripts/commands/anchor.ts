import { clearAlarm } from "../../lib/chain/anchoring/alarms";
import { AnchorError } from "../../lib/chain/anchoring/anchor-errors";
import { anchorSealedBlocks, type AnchorPassResult } from "../../lib/chain/anchoring/anchor-job";
import { CliError, type Command } from "../cli-kit";
import { cliAnchorJob, cliChain, positiveInt } from "./chain-context";
import { withLedger } from "./with-ledger";
import { commandSpec } from "./specs";

export const anchor: Command = {
  ...commandSpec("anchor"),
  async run({ values }) {
    const batchSize = positiveInt(values["batch-size"], "--batch-size");
    const timeoutMs = (positiveInt(values.timeout, "--timeout") ?? 300) * 1000;
    const progress = (line: string) => console.error(`anchor: ${line}`);
    const result = await withLedger(async (ledger, runtime) => {
      const chain = await cliChain(runtime.config);
      const job = cliAnchorJob(ledger, chain, { batchSize, log: progress });
      try {
        if (values["recheck-alarm"]) {
          const chainId = await chain.client.getChainId();
          const cleared = await clearAlarm(ledger.db, { chainId, registry: job.registry! });
          progress(cleared ? `cleared alarm #${cleared.id} (${cleared.kind}); checking the chain again` : "no alarm to clear");
        }
        const deadline = Date.now() + timeoutMs;
        let pass = await anchorSealedBlocks(job);
        while (values.wait && (pass.outcome === "waiting" || pass.outcome === "busy" || pass.awaitingConfirmation > 0) && Date.now() < deadline) {
          progress(pass.outcome === "busy" ? "another process is anchoring; waiting" : `waiting for ${job.confirmations} confirmation(s) of ${pass.awaitingConfirmation} block(s)`);
          await new Promise((r) => setTimeout(r, 2_000));
          const next = await anchorSealedBlocks(job);
          pass = { ...next, sent: [...pass.sent, ...next.sent], adopted: pass.adopted + next.adopted, dropped: pass.dropped + next.dropped };
        }
        return pass;
      } catch (error) {
        if (error instanceof AnchorError) throw new CliError(error.message, 1);
        throw error;
      }
    });
    if (values.json) console.log(JSON.stringify(passJson(result), null, 2));
    else printPass(result);
    return result.outcome === "alarm" ? 1 : 0;
  },
};

function passJson(r: AnchorPassResult) {
  return {
    ...r,
    sent: r.sent.map((s) => ({ ...s, gasUsed: s.gasUsed.toString() })),
    alarm: r.alarm ? { ...r.alarm, raisedAt: r.alarm.raisedAt.toISOString() } : null,
  };
}

function printPass(r: AnchorPassResult): void {
  const where = `registry ${r.registry} on chain ${r.chainId}`;
  if (r.outcome === "busy") return console.log("Another process is anchoring this ledger right now; nothing was done.");
  if (r.alarm) {
    console.log(`ALARM (${r.alarm.kind}, raised ${r.alarm.raisedAt.toISOString()}): ${r.alarm.message}`);
    console.log("Nothing was anchored. `sealbook anchor --recheck-alarm` checks again once the cause is fixed.");
    return;
  }
  const blocks = r.sent.reduce((n, s) => n + s.count, 0);
  if (r.redeployed) console.log(`Deployed a new registry at ${r.redeployed}.`);
  if (blocks > 0) console.log(`Anchored ${blocks} block(s) in ${r.sent.length} transaction(s) to ${where}.`);
  if (r.adopted > 0) console.log(`Recorded ${r.adopted} block(s) found already anchored on chain.`);
  if (r.dropped > 0) console.log(`${r.dropped} anchor(s) had vanished from the chain and were handled again.`);
  if (r.outcome === "waiting") console.log("A sent transaction is not mined yet; run again later (nothing else was sent meanwhile).");
  console.log(`Anchored and confirmed up to block ${r.anchoredHeight} of ${r.ledgerHead}; the registry is at height ${r.chainHead}` +
    (r.awaitingConfirmation > 0 ? `; ${r.awaitingConfirmation} block(s) await confirmations (--wait waits for them).` : "."));
}
