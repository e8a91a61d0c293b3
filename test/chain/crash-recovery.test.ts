/**
 * Fault tests: the process dies between sending a transaction and recording it, or while it waits
 * for a sent transaction; or the node drops a sent transaction. A fresh job (a new process: a new
 * connection pool) reconciles with the chain and never anchors a block twice.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Hash } from "viem";
import { openDatabase } from "../../db/client";
import { AnchorError } from "../../lib/chain/anchoring/anchor-errors";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { openLedger } from "../../lib/ledger/context";
import { addressOf, DEV_KEYS, startTestChain, type TestChain } from "../support/chain";
import { anchoringEnv, anchorRows, assertChainAndLedgerAgree, type AnchoringEnv } from "../support/anchoring";
import { drivers, skipReason } from "../support/db";

let chain: TestChain;
before(async () => {
  chain = await startTestChain();
});
after(async () => {
  await chain?.stop();
});

const anchorer = addressOf(DEV_KEYS.anchorer);
const txCount = (blockTag: "latest" | "pending" = "latest") => chain.client.getTransactionCount({ address: anchorer, blockTag });

/** The ledger as a restarted process sees it: a new connection pool on PostgreSQL (PGlite lives in one process). */
async function restartedLedger(env: AnchoringEnv) {
  if (!env.db.url) return { ledger: env.ledger, close: async () => {} };
  const handle = await openDatabase({ url: env.db.url, maxConnections: 3 });
  return { ledger: await openLedger(handle, env.ledger.ledgerId), close: () => handle.close() };
}

/** Runs `fn` with the node mining only on `evm_mine`, then mines at once again. */
async function withManualMining<T>(fn: () => Promise<T>): Promise<T> {
  await chain.rpc("evm_setAutomine", [false]);
  try {
    return await fn();
  } finally {
    await chain.rpc("evm_setAutomine", [true]);
  }
}

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`crash recovery on ${driver}`, { skip: skip ?? false }, () => {
    it("adopts a transaction sent just before the process died, from its RootAnchored events, without sending it again", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(3);
        let sent: Hash | null = null;
        const dying = env.newJob({
          hooks: {
            afterSend: ({ txHash }) => {
              sent = txHash;
              throw new Error("simulated crash: the process died after sending");
            },
          },
        });
        const before = await txCount();
        await assert.rejects(anchorSealedBlocks(dying), (e) => e instanceof AnchorError && /simulated crash/.test(e.message));
        assert.ok(sent);
        assert.ok((await anchorRows(env.ledger)).every((r) => r.tx_hash === null && r.status !== "confirmed"), "the transaction was never recorded");

        const restarted = await restartedLedger(env);
        try {
          const pass = await anchorSealedBlocks(env.newJob({}, restarted.ledger));
          assert.equal(pass.adopted, 3);
          assert.equal(pass.sent.length, 0);
          assert.ok(env.lines.some((l) => /found the roots of blocks 1–3 already on chain/.test(l)), env.lines.join("\n"));
        } finally {
          await restarted.close();
        }
        assert.equal(await txCount(), before + 1, "one transaction in all");
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
        assert.deepEqual((await anchorRows(env.ledger)).map((r) => [r.tx_hash, r.batch_size]), [[sent, 3], [sent, 3], [sent, 3]]);
      } finally {
        await env.db.dispose();
      }
    });

    it("waits for a recorded transaction that is still pending instead of sending a second one", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(2);
        const before = await txCount();
        await withManualMining(async () => {
          // The process dies while waiting for its transaction (here: it gives up after 300 ms).
          await assert.rejects(anchorSealedBlocks(env.newJob({ receiptTimeoutMs: 300 })), /was sent but not seen mined/);
          const rows = await anchorRows(env.ledger);
          assert.deepEqual(rows.map((r) => r.status), ["sent", "sent"]);
          const pending = rows[0].tx_hash;

          const restarted = await restartedLedger(env);
          try {
            const pass = await anchorSealedBlocks(env.newJob({ receiptTimeoutMs: 300 }, restarted.ledger));
            assert.equal(pass.outcome, "waiting");
            assert.equal(pass.sent.length, 0);
            assert.equal(await txCount("pending"), before + 1, "no second transaction while the first is pending");
            await chain.rpc("evm_mine");
            const mined = await anchorSealedBlocks(env.newJob({}, restarted.ledger));
            assert.equal(mined.sent.length, 0);
            assert.equal(mined.anchoredHeight, 2);
          } finally {
            await restarted.close();
          }
          assert.deepEqual((await anchorRows(env.ledger)).map((r) => r.tx_hash), [pending, pending]);
        });
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
      } finally {
        await env.db.dispose();
      }
    });

    it("sends again when the node dropped the recorded transaction", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(2);
        const dropped = await withManualMining(async () => {
          await assert.rejects(anchorSealedBlocks(env.newJob({ receiptTimeoutMs: 300 })), /was sent but not seen mined/);
          const [row] = await anchorRows(env.ledger);
          await chain.rpc("hardhat_dropTransaction", [row.tx_hash]);
          return row.tx_hash;
        });
        const pass = await anchorSealedBlocks(env.newJob());
        assert.equal(pass.dropped, 2);
        assert.equal(pass.sent.length, 1);
        assert.ok(env.lines.some((l) => l.includes(`transaction ${dropped} (blocks 1–2) was dropped by the node`)), env.lines.join("\n"));
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
        assert.deepEqual((await anchorRows(env.ledger)).map((r) => r.attempts), [2, 2]);
      } finally {
        await env.db.dispose();
      }
    });
  });
}
