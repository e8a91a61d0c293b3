/**
 * Fault tests: the chain changes behind the job's back. Someone else anchors another root (the job's
 * transaction reverts), anchors beyond the ledger's head, or the registry belongs to another ledger.
 * Each time the job raises a persisted alarm, marks nothing anchored that is not, and stops.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createWalletClient, http, keccak256, parseGwei, toBytes, type Hash } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { rootRegistryAbi } from "../../lib/chain/registry/abi";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { activeAlarm } from "../../lib/chain/anchoring/alarms";
import { getAnchoringState } from "../../lib/chain/anchoring/anchoring-state";
import { chainRootChecker } from "../../lib/chain/audit-check";
import { auditLedger } from "../../lib/ledger/audit";
import { readBlocksToAnchor } from "../../lib/chain/anchoring/anchor-records";
import { addressOf, DEV_KEYS, setAnchorerRole, startTestChain, type TestChain } from "../support/chain";
import { anchorEvents, anchoringEnv, anchorRows, assertChainAndLedgerAgree } from "../support/anchoring";
import { drivers, skipReason } from "../support/db";

let chain: TestChain;
before(async () => {
  chain = await startTestChain();
});
after(async () => {
  await chain?.stop();
});

const intruder = addressOf(DEV_KEYS.intruder);
const forgedRoot = (label: string): Hash => keccak256(toBytes(`forged root ${label}`));

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`when the chain changes behind the job's back on ${driver}`, { skip: skip ?? false }, () => {
    it("raises an alarm and stops when someone anchors another root just before the job's transaction, which reverts", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(2);
        await anchorSealedBlocks(env.newJob());
        await env.seal(2);
        await setAnchorerRole(chain, env.registry, intruder, true);
        // Between the job's gas estimate and its send, the intruder anchors a forged root at height 3.
        let forged: Hash | null = null;
        const job = env.newJob({
          hooks: {
            beforeSend: async (batch) => {
              if (forged) return;
              forged = forgedRoot(driver);
              const status = await chain.send(DEV_KEYS.intruder, env.registry, { functionName: "anchor", args: [BigInt(batch[0].height), forged, batch[0].prevRoot, 1] });
              assert.equal(status, "success");
            },
          },
        });
        const anchorerNonce = () => chain.client.getTransactionCount({ address: addressOf(DEV_KEYS.anchorer) });
        const noncesBefore = await anchorerNonce();
        const pass = await anchorSealedBlocks(job);
        assert.equal(await anchorerNonce(), noncesBefore + 1, "the job's transaction was sent and mined");
        assert.ok(env.lines.some((l) => /reverted/.test(l)), env.lines.join("\n"));
        assert.equal(pass.outcome, "alarm", `${JSON.stringify(pass, (_, v) => (typeof v === "bigint" ? String(v) : v))}\n${env.lines.join("\n")}`);
        assert.equal(pass.alarm?.kind, "root_mismatch");
        assert.equal(pass.alarm?.height, 3);
        assert.equal(pass.alarm?.chainRoot, forged);
        const [block3] = await readBlocksToAnchor(env.ledger.db, 3, 3);
        assert.equal(pass.alarm?.ledgerRoot, block3.root);
        assert.match(pass.alarm!.message, /holds root .* at height 3, but the ledger's block 3 has root/);

        // Nothing is marked anchored that is not: blocks 1–2 confirmed, 3–4 not.
        const rows = await anchorRows(env.ledger);
        assert.deepEqual(rows.map((r) => [r.height, r.status]), [[1, "confirmed"], [2, "confirmed"], [3, "failed"], [4, "failed"]]);
        assert.match(rows[2].last_error ?? "", /reverted/);

        // The alarm is persisted and stops every later pass before it sends anything.
        assert.equal((await activeAlarm(env.ledger.db, { chainId: 31337, registry: env.registry }))?.id, pass.alarm?.id);
        const later = await anchorSealedBlocks(env.newJob());
        assert.equal(later.outcome, "alarm");
        assert.equal(await anchorerNonce(), noncesBefore + 1, "no transaction after the alarm");
        const state = await getAnchoringState(env.ledger);
        assert.equal(state.alarm?.kind, "root_mismatch");
        assert.equal(state.anchoredHeight, 2);
        assert.equal(state.lag, 2);

        // `sealbook audit --chain` reports the mismatch, and only it.
        const checker = chainRootChecker({ client: chain.client, registry: env.registry });
        const report = await auditLedger(env.ledger, { checkRoot: checker.checkRoot });
        assert.deepEqual(report.findings.map((f) => [f.code, f.height]), [["chain_root_mismatch", 3]]);

        // The way out: a new registry. The job anchors the whole ledger there, consistently.
        const fresh = await chain.deployRegistry(env.ledger.genesisRoot);
        const moved = await anchorSealedBlocks(env.newJob({ registry: fresh.address, deployBlock: fresh.blockNumber }));
        assert.equal(moved.outcome, "anchored");
        await assertChainAndLedgerAgree(chain, fresh.address, env.ledger);

        // On a chain that mines later (as real ones do), the send succeeds and the receipt says reverted.
        await env.seal(1);
        await setAnchorerRole(chain, fresh.address, intruder, true);
        await chain.rpc("evm_setAutomine", [false]);
        try {
          const intruderWallet = createWalletClient({ account: privateKeyToAccount(DEV_KEYS.intruder), transport: http(chain.rpcUrl) });
          const lateJob = env.newJob({
            registry: fresh.address,
            deployBlock: fresh.blockNumber,
            hooks: {
              beforeSend: async (batch) => {
                // Pending, with a higher tip than the job's: mined first.
                await intruderWallet.writeContract({
                  address: fresh.address,
                  abi: rootRegistryAbi,
                  functionName: "anchor",
                  args: [BigInt(batch[0].height), forgedRoot(`late ${driver}`), batch[0].prevRoot, 1],
                  gas: 200_000n,
                  maxPriorityFeePerGas: parseGwei("50"),
                  maxFeePerGas: parseGwei("500"),
                  chain: null,
                });
              },
              afterSend: async () => {
                await chain.rpc("evm_mine");
              },
            },
          });
          const late = await anchorSealedBlocks(lateJob);
          assert.ok(env.lines.some((l) => /reverted in chain block/.test(l)), env.lines.join("\n"));
          assert.equal(late.alarm?.kind, "root_mismatch");
          assert.equal(late.alarm?.height, 5);
          const lateRows = await anchorRows(env.ledger);
          assert.deepEqual(lateRows.map((r) => r.status), ["confirmed", "confirmed", "confirmed", "confirmed", "failed"]);
          assert.equal(lateRows[4].tx_hash, null, "the reverted transaction is not kept as the block's anchor");
        } finally {
          await chain.rpc("evm_setAutomine", [true]);
        }
      } finally {
        await env.db.dispose();
      }
    });

    it("raises an alarm when the registry holds heights the ledger never sealed", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(2);
        await anchorSealedBlocks(env.newJob());
        const [block2] = await readBlocksToAnchor(env.ledger.db, 2, 2);
        await setAnchorerRole(chain, env.registry, intruder, true);
        await chain.send(DEV_KEYS.intruder, env.registry, { functionName: "anchor", args: [3n, forgedRoot(`ahead ${driver}`), block2.root, 1] });
        const pass = await anchorSealedBlocks(env.newJob());
        assert.equal(pass.alarm?.kind, "chain_ahead");
        assert.equal(pass.alarm?.height, 3);
        assert.match(pass.alarm!.message, /at height 3, but the ledger's head is block 2/);
        assert.deepEqual((await anchorRows(env.ledger)).map((r) => r.status), ["confirmed", "confirmed"]);
        const checker = chainRootChecker({ client: chain.client, registry: env.registry });
        await auditLedger(env.ledger, { checkRoot: checker.checkRoot });
        assert.deepEqual((await checker.finish(2)).map((f) => f.code), ["chain_root_mismatch"]);
      } finally {
        await env.db.dispose();
      }
    });

    it("raises an alarm, and anchors nothing, when the registry belongs to another ledger", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(1);
        const other = await chain.deployRegistry(keccak256(toBytes("sealbook/genesis/v1:another-ledger")));
        const pass = await anchorSealedBlocks(env.newJob({ registry: other.address }));
        assert.equal(pass.alarm?.kind, "genesis_mismatch");
        assert.deepEqual(await anchorEvents(chain, other.address), []);
        assert.deepEqual(await anchorRows(env.ledger), []);
      } finally {
        await env.db.dispose();
      }
    });
  });
}
