/**
 * Fault test: a reorg drops confirmed anchors (simulated with evm_snapshot / evm_revert). The job
 * sees the registry's latest height fall below what it recorded, and anchors those blocks again.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { chainRootChecker } from "../../lib/chain/audit-check";
import { auditLedger } from "../../lib/ledger/audit";
import { getLedgerStatus } from "../../lib/ledger/reads";
import { startTestChain, type TestChain } from "../support/chain";
import { anchoringEnv, anchorRows, assertChainAndLedgerAgree } from "../support/anchoring";
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
  describe(`after a reorg on ${driver}`, { skip: skip ?? false }, () => {
    it("detects anchored roots missing from the chain and anchors them again", async () => {
      const env = await anchoringEnv(driver, chain);
      try {
        await env.seal(3);
        const job = env.newJob();
        await anchorSealedBlocks(job);
        const snapshot = await chain.rpc<string>("evm_snapshot");
        await env.seal(2);
        const lost = await anchorSealedBlocks(job);
        assert.equal(lost.anchoredHeight, 5);
        assert.ok(await chain.rpc<boolean>("evm_revert", [snapshot]), "the chain went back to before blocks 4–5 were anchored");
        assert.equal((await getLedgerStatus(env.ledger)).anchoredHeight, 5, "the database still believes 4–5 anchored");

        // `sealbook audit --chain` sees it too.
        const anchored = await queryRows<{ height: number }>(env.ledger.db, sql`select height from anchors where status = 'confirmed'`);
        const checker = chainRootChecker({ client: chain.client, registry: env.registry, anchoredHeights: new Set(anchored.map((r) => Number(r.height))) });
        const report = await auditLedger(env.ledger, { checkRoot: checker.checkRoot });
        assert.deepEqual(report.findings.map((f) => [f.code, f.height]), [["chain_root_mismatch", 4], ["chain_root_mismatch", 5]]);
        assert.match(report.findings[0].message, /recorded as anchored, but the registry .* holds no root at 4/);

        const pass = await anchorSealedBlocks(job);
        assert.equal(pass.dropped, 2);
        assert.deepEqual(pass.sent.map((s) => [s.firstHeight, s.count]), [[4, 2]]);
        assert.ok(env.lines.some((l) => /the anchors of blocks 4–5 are no longer on chain \(latest height there: 3\)/.test(l)), env.lines.join("\n"));
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
        assert.deepEqual((await anchorRows(env.ledger)).map((r) => r.attempts), [1, 1, 1, 2, 2]);
      } finally {
        await env.db.dispose();
      }
    });
  });
}
