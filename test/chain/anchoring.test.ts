import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { getAnchoringState } from "../../lib/chain/anchoring/anchoring-state";
import { proofForEntry } from "../../lib/ledger/proofs";
import { getLedgerStatus, listBlockEntries } from "../../lib/ledger/reads";
import { addressOf, DEV_KEYS, startTestChain, type TestChain } from "../support/chain";
import { anchorEvents, anchoringEnv, anchorRows, assertChainAndLedgerAgree } from "../support/anchoring";
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
  describe(`anchoring sealed blocks on ${driver}`, { skip: skip ?? false }, () => {
    it("anchors every sealed block in height order and records the transaction, chain block, gas and attempts", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(3, 2);
        const job = env.newJob();
        const pass = await anchorSealedBlocks(job);
        assert.equal(pass.outcome, "anchored");
        assert.equal(pass.sent.length, 1, "three blocks behind: one anchorBatch transaction");
        assert.deepEqual([pass.sent[0].firstHeight, pass.sent[0].count], [1, 3]);
        assert.equal(pass.anchoredHeight, 3);
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
        const events = await anchorEvents(chain, env.registry);
        assert.deepEqual(events.map((e) => e.height), [1, 2, 3], "anchored in height order");
        const rows = await anchorRows(env.ledger);
        assert.ok(rows.every((r) => r.attempts === 1 && r.batch_size === 3 && r.last_error === null));

        const status = await getLedgerStatus(env.ledger);
        assert.equal(status.anchoredHeight, 3);
        const { entries } = await listBlockEntries(env.ledger, 2);
        const answer = await proofForEntry(env.ledger, entries[0].entryHash);
        assert.equal(answer.status, "sealed");
        assert.deepEqual(answer.status === "sealed" && answer.bundle.anchor, {
          chainId: 31337,
          registry: env.registry,
          txHash: pass.sent[0].txHash,
          blockNumber: pass.sent[0].blockNumber,
        });

        const again = await anchorSealedBlocks(job);
        assert.equal(again.outcome, "up_to_date");
        assert.equal(again.sent.length, 0, "nothing is sent twice");
        const state = await getAnchoringState(env.ledger);
        assert.deepEqual([state.ledgerHead, state.anchoredHeight, state.lag, state.alarm, state.lastError], [3, 3, 0, null, null]);
      } finally {
        await env.db.dispose();
      }
    });

    it("anchors a backlog in batches of 32 roots per transaction when it is behind", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(40);
        const pass = await anchorSealedBlocks(env.newJob());
        assert.deepEqual(pass.sent.map((s) => [s.firstHeight, s.count]), [[1, 32], [33, 8]]);
        assert.ok(env.lines.some((l) => l.includes("40 blocks to anchor (1–40), in batches of 32")), env.lines.join("\n"));
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
        const rows = await anchorRows(env.ledger);
        assert.deepEqual([...new Set(rows.map((r) => r.batch_size))], [32, 8]);
        // A batch shares one transaction's gas: far less per root than 40 single anchors would cost.
        assert.ok(rows[0].gas_used! / 32 < 30_000, `gas per root in a batch of 32: ${rows[0].gas_used! / 32}`);
      } finally {
        await env.db.dispose();
      }
    });

    it("counts an anchor only after CONFIRMATIONS chain blocks", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(2);
        const job = env.newJob({ confirmations: 3 });
        const first = await anchorSealedBlocks(job);
        assert.equal(first.sent.length, 1);
        assert.equal(first.anchoredHeight, 0, "mined, but one confirmation of three");
        assert.equal(first.awaitingConfirmation, 2);
        assert.deepEqual((await anchorRows(env.ledger)).map((r) => r.status), ["sent", "sent"]);
        assert.equal((await getLedgerStatus(env.ledger)).anchoredHeight, 0);

        await chain.rpc("hardhat_mine", ["0x1"]);
        const second = await anchorSealedBlocks(job);
        assert.equal(second.anchoredHeight, 0, "two confirmations of three");
        assert.equal(second.sent.length, 0, "nothing is sent again while waiting");

        await chain.rpc("hardhat_mine", ["0x1"]);
        const third = await anchorSealedBlocks(job);
        assert.equal(third.anchoredHeight, 2);
        assert.equal(third.awaitingConfirmation, 0);
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
        assert.equal(await chain.client.getTransactionCount({ address: addressOf(DEV_KEYS.anchorer) }) > 0, true);
      } finally {
        await env.db.dispose();
      }
    });
  });
}
