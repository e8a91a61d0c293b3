/**
 * The fee cap (ANCHOR_MAX_FEE_GWEI) on a Hardhat node with a raised base fee: no anchor
 * transaction and no fee-bump replacement ever offers more than the cap. While the base fee stays
 * above it, anchoring waits with a `fee_above_cap` failure (a warning on the health page until the
 * anchoring lag passes its threshold), and it anchors by itself once fees fall.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseGwei, toHex, type Hash } from "viem";
import { AnchorError } from "../../lib/chain/anchoring/anchor-errors";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { addressOf, DEV_KEYS, startTestChain, type TestChain } from "../support/chain";
import { anchoringEnv, anchorRows } from "../support/anchoring";

const CAP = parseGwei("5");

let chain: TestChain;
before(async () => {
  chain = await startTestChain();
});
after(async () => {
  await chain?.stop();
});

const setBaseFee = async (wei: bigint) => {
  await chain.rpc("hardhat_setNextBlockBaseFeePerGas", [toHex(wei)]);
  await chain.rpc("evm_mine");
};

const isFeeAboveCap = (error: unknown) => error instanceof AnchorError && error.code === "fee_above_cap" && /above the cap/.test(error.message);

describe("the anchoring fee cap", () => {
  it("sends nothing while the base fee is above the cap, then anchors under the cap once fees fall", async () => {
    const env = await anchoringEnv("pglite", chain);
    await setBaseFee(CAP * 2n);
    await env.seal(2);
    await assert.rejects(anchorSealedBlocks(env.newJob({ maxFeePerGas: CAP })), isFeeAboveCap);
    assert.deepEqual((await anchorRows(env.ledger)).filter((r) => r.tx_hash !== null), [], "no transaction was sent above the cap");
    assert.ok(env.lines.some((l) => l.includes("above the cap ANCHOR_MAX_FEE_GWEI=5")), env.lines.join("\n"));

    await setBaseFee(parseGwei("1"));
    const pass = await anchorSealedBlocks(env.newJob({ maxFeePerGas: CAP }));
    assert.equal(pass.anchoredHeight, 2);
    const tx = await chain.client.getTransaction({ hash: pass.sent[0].txHash });
    assert.ok(tx.maxFeePerGas! <= CAP, `offered ${tx.maxFeePerGas} wei per gas, cap ${CAP}`);
    assert.ok(tx.maxPriorityFeePerGas! <= tx.maxFeePerGas!);
  });

  it("does not bump a priced-out transaction above the cap: it stays pending and is mined once fees fall", async () => {
    const env = await anchoringEnv("pglite", chain);
    const anchorer = addressOf(DEV_KEYS.anchorer);
    await setBaseFee(parseGwei("1"));
    await chain.rpc("evm_setAutomine", [false]);
    try {
      await env.seal(1);
      await assert.rejects(anchorSealedBlocks(env.newJob({ maxFeePerGas: CAP, receiptTimeoutMs: 300 })), /was sent but not seen mined/);
      const [row] = await anchorRows(env.ledger);
      const original = row.tx_hash as Hash;
      const sent = await chain.client.getTransaction({ hash: original });
      assert.ok(sent.maxFeePerGas! <= CAP);

      // The spike: above the cap, so a replacement would have to offer more than the cap allows.
      await setBaseFee(CAP * 3n);
      await assert.rejects(anchorSealedBlocks(env.newJob({ maxFeePerGas: CAP, receiptTimeoutMs: 300 })), isFeeAboveCap);
      const rows = await anchorRows(env.ledger);
      assert.deepEqual(rows.map((r) => [r.status, r.tx_hash]), [["sent", original]], "not replaced");
      const pending = (await chain.rpc("eth_getBlockByNumber", ["pending", true])) as { transactions: Array<{ hash: string; maxFeePerGas: string }> };
      assert.ok(pending.transactions.every((t) => BigInt(t.maxFeePerGas) <= CAP), "nothing above the cap is pending");

      // Fees fall: the original transaction is mined as it is.
      await chain.rpc("hardhat_setNextBlockBaseFeePerGas", [toHex(parseGwei("1"))]);
      await chain.rpc("evm_mine");
      assert.equal((await chain.client.getTransactionReceipt({ hash: original })).status, "success");
      const done = await anchorSealedBlocks(env.newJob({ maxFeePerGas: CAP }));
      assert.equal(done.anchoredHeight, 1);
      assert.equal(await chain.client.getTransactionCount({ address: anchorer }), sent.nonce + 1);
    } finally {
      await chain.rpc("evm_setAutomine", [true]);
    }
  });
});
