/**
 * Reading RootAnchored events in block windows: public RPC providers cap the block range of
 * eth_getLogs, so a long history must be read in windows, and the windows must find exactly what
 * one query over the whole range finds.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { PublicClient } from "viem";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { findAnchorEvents } from "../../lib/chain/registry/reads";
import { anchoringEnv } from "../support/anchoring";
import { startTestChain, type TestChain } from "../support/chain";

let chain: TestChain;
before(async () => {
  chain = await startTestChain();
});
after(async () => {
  await chain?.stop();
});

describe("finding anchor events in block windows", () => {
  it("finds every height's event with windows of 1 and 3 blocks as with one query, and never asks for a wider range", async () => {
    const env = await anchoringEnv("pglite", chain);
    try {
      // Five blocks anchored one at a time: five transactions in five chain blocks.
      for (let i = 0; i < 5; i++) {
        await env.seal(1);
        await anchorSealedBlocks(env.newJob());
      }
      const latest = await chain.client.getBlockNumber();
      const heights = [1, 2, 3, 4, 5];
      const whole = await findAnchorEvents(chain.client, env.registry, heights, BigInt(env.deployBlock), latest, latest + 1n);
      assert.deepEqual([...whole.keys()].sort(), heights);
      assert.equal(new Set([...whole.values()].map((e) => e.blockNumber)).size, 5, "the five anchors are in five chain blocks");

      for (const window of [1n, 3n]) {
        const ranges: bigint[] = [];
        const counting = new Proxy(chain.client, {
          get(target, property, receiver) {
            if (property !== "getContractEvents") return Reflect.get(target, property, receiver);
            return (args: { fromBlock: bigint; toBlock: bigint }) => {
              ranges.push(args.toBlock - args.fromBlock + 1n);
              return target.getContractEvents(args as Parameters<PublicClient["getContractEvents"]>[0]);
            };
          },
        }) as PublicClient;
        const windowed = await findAnchorEvents(counting, env.registry, heights, BigInt(env.deployBlock), latest, window);
        assert.deepEqual(windowed, whole, `window of ${window}`);
        assert.ok(ranges.length >= Number((latest - BigInt(env.deployBlock) + 1n) / window), `window of ${window}: ${ranges.length} queries`);
        assert.ok(ranges.every((r) => r >= 1n && r <= window), `window of ${window}: ranges ${ranges.join(", ")}`);
      }
    } finally {
      await env.db.dispose();
    }
  });
});
