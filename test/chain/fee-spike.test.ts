/**
 * A fee spike: the base fee rises above what the job's pending transaction offers, so no block
 * will ever include it. The job replaces it (same nonce, higher fees) instead of waiting forever,
 * and the ledger ends up agreeing with the chain, with one transaction mined for the roots.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { toHex, type Hash } from "viem";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { addressOf, DEV_KEYS, startTestChain, type TestChain } from "../support/chain";
import { anchoringEnv, anchorRows, assertChainAndLedgerAgree } from "../support/anchoring";

let chain: TestChain;
before(async () => {
  chain = await startTestChain();
});
after(async () => {
  await chain?.stop();
});

describe("a fee spike while an anchor is pending", () => {
  it("replaces the priced-out transaction with the same nonce and higher fees, and the replacement anchors the roots", async () => {
    const env = await anchoringEnv("pglite", chain);
    const anchorer = addressOf(DEV_KEYS.anchorer);
    await chain.rpc("evm_setAutomine", [false]);
    try {
      await env.seal(2);
      await assert.rejects(anchorSealedBlocks(env.newJob({ receiptTimeoutMs: 300 })), /was sent but not seen mined/);
      const [first] = await anchorRows(env.ledger);
      const original = first.tx_hash as Hash;
      const sent = await chain.client.getTransaction({ hash: original });
      assert.ok(sent.maxFeePerGas, "an EIP-1559 transaction");

      // The spike: the next block's base fee is twice what the transaction offers; it is left out.
      await chain.rpc("hardhat_setNextBlockBaseFeePerGas", [toHex(sent.maxFeePerGas * 2n)]);
      await chain.rpc("evm_mine");
      await assert.rejects(chain.client.getTransactionReceipt({ hash: original }), "the priced-out transaction is not mined");

      const pass = await anchorSealedBlocks(env.newJob({ receiptTimeoutMs: 300 }));
      assert.equal(pass.outcome, "waiting");
      const rows = await anchorRows(env.ledger);
      const replacement = rows[0].tx_hash as Hash;
      assert.notEqual(replacement, original);
      assert.deepEqual(rows.map((r) => [r.status, r.tx_hash, r.attempts]), [["sent", replacement, 2], ["sent", replacement, 2]]);
      assert.match(rows[0].last_error ?? "", /below the base fee .* replaced by/);
      const bumped = await chain.client.getTransaction({ hash: replacement });
      assert.equal(bumped.nonce, sent.nonce, "same nonce: only one of the two can be mined");
      assert.equal(bumped.input, sent.input, "the same call");
      const spikeBase = (await chain.client.getBlock()).baseFeePerGas!;
      assert.ok(bumped.maxFeePerGas! > spikeBase, `the replacement offers ${bumped.maxFeePerGas} over the base fee ${spikeBase}`);
      assert.ok(bumped.maxPriorityFeePerGas! >= (sent.maxPriorityFeePerGas! * 9n) / 8n, "the tip rises by at least 12.5%");
      assert.ok(env.lines.some((l) => l.includes(`transaction ${original} (blocks 1–2) was priced out`)), env.lines.join("\n"));

      await chain.rpc("evm_mine");
      const done = await anchorSealedBlocks(env.newJob());
      assert.equal(done.anchoredHeight, 2);
      assert.equal(done.sent.length, 0, "nothing sent a third time");
      assert.equal((await chain.client.getTransactionReceipt({ hash: replacement })).status, "success");
      assert.equal(await chain.client.getTransactionCount({ address: anchorer }), sent.nonce + 1, "one transaction mined for the two roots");
      assert.deepEqual((await anchorRows(env.ledger)).map((r) => r.tx_hash), [replacement, replacement]);
      await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
    } finally {
      await chain.rpc("evm_setAutomine", [true]);
      await env.db.dispose();
    }
  });

  it("leaves a pending transaction alone while blocks can still include it", async () => {
    const env = await anchoringEnv("pglite", chain);
    await chain.rpc("evm_setAutomine", [false]);
    try {
      await env.seal(1);
      await assert.rejects(anchorSealedBlocks(env.newJob({ receiptTimeoutMs: 300 })), /was sent but not seen mined/);
      const [row] = await anchorRows(env.ledger);
      const pass = await anchorSealedBlocks(env.newJob({ receiptTimeoutMs: 300 }));
      assert.equal(pass.outcome, "waiting");
      assert.equal((await anchorRows(env.ledger))[0].tx_hash, row.tx_hash, "not replaced");
      assert.ok(!env.lines.some((l) => l.includes("priced out")), env.lines.join("\n"));
      await chain.rpc("evm_mine");
      assert.equal((await anchorSealedBlocks(env.newJob())).anchoredHeight, 1);
    } finally {
      await chain.rpc("evm_setAutomine", [true]);
      await env.db.dispose();
    }
  });
});
