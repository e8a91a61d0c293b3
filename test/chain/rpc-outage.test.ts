/**
 * Fault test: the RPC becomes unreachable for a while (a TCP proxy in front of the node is cut),
 * including right after a transaction was sent. The loop retries with growing delays, records the
 * error on the waiting blocks, and once the RPC is back anchors everything exactly once.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { AnchorError } from "../../lib/chain/anchoring/anchor-errors";
import { startAnchorLoop } from "../../lib/chain/anchoring/anchor-loop";
import { getAnchoringState } from "../../lib/chain/anchoring/anchoring-state";
import { readAnchorRows } from "../../lib/chain/anchoring/anchor-records";
import { DEV_KEYS, startRpcProxy, startTestChain, type RpcProxy, type TestChain } from "../support/chain";
import { anchoringEnv, anchoringTexts, anchorRows, assertChainAndLedgerAgree, assertNoKeyIn } from "../support/anchoring";
import { drivers, skipReason } from "../support/db";

let chain: TestChain;
let proxy: RpcProxy;
before(async () => {
  chain = await startTestChain();
  proxy = await startRpcProxy(chain.node.port);
});
after(async () => {
  await proxy?.close();
  await chain?.stop();
});

/** Polls `check` until it is true, or fails after `ms`. */
async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`when the RPC is unreachable for a while on ${driver}`, { skip: skip ?? false }, () => {
    it("retries with backoff, records the error on the waiting blocks, and anchors them once the RPC is back", async () => {
      const env = await anchoringEnv(driver, chain);
      const operatorLog: string[] = [];
      const job = env.newJob({ rpcUrl: proxy.rpcUrl, rpc: { pollingIntervalMs: 50, timeoutMs: 1_000 } });
      const loop = startAnchorLoop(job, { intervalMs: 300, minBackoffMs: 100, maxBackoffMs: 800, log: (l) => operatorLog.push(l) });
      try {
        await env.seal(2);
        await eventually(async () => (await getAnchoringState(env.ledger)).anchoredHeight === 2, 20_000, "blocks 1–2 are anchored");

        await proxy.cut();
        await env.seal(3);
        await eventually(async () => loop.state.consecutiveFailures >= 3, 20_000, "three passes have failed");
        assert.equal(loop.state.lastError?.code, "rpc_unreachable");
        const retries = operatorLog.filter((l) => /the RPC did not answer/.test(l)).map((l) => Number(/next try in ([\d.]+) s/.exec(l)?.[1]));
        assert.ok(retries.length >= 3 && retries[1] > retries[0], `the retry delay grows: ${retries.join(", ")}`);
        assert.ok(retries.every((d) => d <= 0.8), "and stays under its cap");
        const waiting = (await anchorRows(env.ledger)).filter((r) => r.height > 2);
        assert.deepEqual(waiting.map((r) => r.status), ["failed", "failed", "failed"]);
        assert.ok(waiting.every((r) => r.attempts >= 1 && /RPC did not answer/.test(r.last_error ?? "")), JSON.stringify(waiting));
        const state = await getAnchoringState(env.ledger);
        assert.deepEqual([state.anchoredHeight, state.lag], [2, 3]);
        assert.match(state.lastError?.message ?? "", /RPC did not answer/);

        await proxy.restore();
        await eventually(async () => (await getAnchoringState(env.ledger)).anchoredHeight === 5, 20_000, "blocks 3–5 are anchored");
        assert.equal(loop.state.lastError, null);
        assert.equal(loop.state.consecutiveFailures, 0);
        await loop.stop();
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
        assertNoKeyIn(await anchoringTexts(env.ledger, [...env.lines, ...operatorLog]), DEV_KEYS.anchorer);
      } finally {
        await loop.stop();
        await proxy.restore().catch(() => {});
        await env.db.dispose();
      }
    });

    it("re-checks a transaction it sent just before the RPC went away, and sends no second one", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(2);
        let sentTx: string | null = null;
        const job = env.newJob({
          rpcUrl: proxy.rpcUrl,
          rpc: { pollingIntervalMs: 50, timeoutMs: 1_000 },
          receiptTimeoutMs: 2_000,
          hooks: {
            afterSend: async ({ txHash }) => {
              sentTx = txHash;
              await proxy.cut();
            },
          },
        });
        await assert.rejects(anchorSealedBlocks(job), (e) => e instanceof AnchorError && e.transient && /was sent but not seen mined/.test(e.message));
        const rows = await readAnchorRows(env.ledger.db, { chainId: 31337, registry: env.registry });
        assert.deepEqual([...rows.values()].map((r) => [r.status, r.txHash]), [["sent", sentTx], ["sent", sentTx]], "recorded as sent, with its transaction");

        await proxy.restore();
        const recovered = await anchorSealedBlocks(env.newJob({ rpcUrl: proxy.rpcUrl }));
        assert.equal(recovered.sent.length, 0, "the sent transaction was found mined: nothing is sent again");
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
        assert.deepEqual((await anchorRows(env.ledger)).map((r) => r.tx_hash), [sentTx, sentTx]);
      } finally {
        await proxy.restore().catch(() => {});
        await env.db.dispose();
      }
    });
  });
}
