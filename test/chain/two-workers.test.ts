/**
 * Fault test: two workers anchor the same ledger at once. On PostgreSQL they are two connection
 * pools (two processes); on PGlite two jobs in the one process that may open the database. Only one
 * anchors at a time, and no block is anchored twice.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openDatabase } from "../../db/client";
import { anchorSealedBlocks, type AnchorPassResult } from "../../lib/chain/anchoring/anchor-job";
import { openLedger } from "../../lib/ledger/context";
import { addressOf, DEV_KEYS, startTestChain, type TestChain } from "../support/chain";
import { anchoringEnv, assertChainAndLedgerAgree } from "../support/anchoring";
import { drivers, skipReason } from "../support/db";

let chain: TestChain;
before(async () => {
  chain = await startTestChain();
});
after(async () => {
  await chain?.stop();
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`two workers at once on ${driver}`, { skip: skip ?? false }, () => {
    it("lets one anchor while the other stands aside, and never anchors a block twice", async () => {
      const env = await anchoringEnv(driver, chain);
      // The second worker: its own pool on PostgreSQL; on PGlite the same instance (one process).
      const secondHandle = env.db.url ? await openDatabase({ url: env.db.url, maxConnections: 3 }) : null;
      const secondLedger = secondHandle ? await openLedger(secondHandle, env.ledger.ledgerId) : env.ledger;
      try {
        await env.seal(4);
        const second = env.newJob({}, secondLedger);
        let whileFirstSends: AnchorPassResult | null = null;
        const first = env.newJob({
          hooks: {
            beforeSend: async () => {
              whileFirstSends ??= await anchorSealedBlocks(second);
            },
          },
        });
        const pass = await anchorSealedBlocks(first);
        assert.equal(whileFirstSends!.outcome, "busy", "the second worker found the lock taken");
        assert.equal(pass.sent.length, 1);

        // Then both race freely, round after round, while blocks keep coming.
        const outcomes: string[] = [];
        const nonceBefore = await chain.client.getTransactionCount({ address: addressOf(DEV_KEYS.anchorer) });
        let sentByRaces = 0;
        for (let round = 0; round < 4; round++) {
          await env.seal(2);
          const results = await Promise.all([anchorSealedBlocks(env.newJob()), anchorSealedBlocks(second)]);
          outcomes.push(...results.map((r) => r.outcome));
          sentByRaces += results.reduce((n, r) => n + r.sent.length, 0);
        }
        assert.ok(outcomes.every((o) => o === "anchored" || o === "busy" || o === "up_to_date"), outcomes.join(", "));
        const nonceAfter = await chain.client.getTransactionCount({ address: addressOf(DEV_KEYS.anchorer) });
        assert.equal(nonceAfter - nonceBefore, sentByRaces, "every transaction sent was one the winner meant to send: none reverted");
        await anchorSealedBlocks(env.newJob());
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
      } finally {
        await secondHandle?.close();
        await env.db.dispose();
      }
    });
  });
}
