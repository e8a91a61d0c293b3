/**
 * Fault test: the anchorer loses ANCHORER_ROLE. The job says so clearly, marks nothing anchored,
 * retries, and resumes by itself once the role is granted again. Its key appears in no message.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AnchorError } from "../../lib/chain/anchoring/anchor-errors";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { getAnchoringState } from "../../lib/chain/anchoring/anchoring-state";
import { addressOf, DEV_KEYS, setAnchorerRole, startTestChain, type TestChain } from "../support/chain";
import { anchoringEnv, anchoringTexts, anchorRows, assertChainAndLedgerAgree, assertNoKeyIn } from "../support/anchoring";
import { drivers, skipReason } from "../support/db";

let chain: TestChain;
before(async () => {
  chain = await startTestChain();
});
after(async () => {
  await chain?.stop();
});

const anchorer = addressOf(DEV_KEYS.anchorer);
const isRoleError = (error: unknown) =>
  error instanceof AnchorError && error.code === "anchorer_role_missing" && error.message.includes(anchorer) && /ANCHORER_ROLE/.test(error.message);

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`when the anchorer's role is revoked on ${driver}`, { skip: skip ?? false }, () => {
    it("fails with a clear error, marks nothing anchored, and resumes once the role is granted again", async () => {
      const env = await anchoringEnv(driver, chain);
      const errors: unknown[] = [];
      try {
        await env.seal(1);
        const job = env.newJob();
        await anchorSealedBlocks(job);
        await setAnchorerRole(chain, env.registry, anchorer, false);
        await env.seal(2);
        const nonce = await chain.client.getTransactionCount({ address: anchorer });

        for (let attempt = 1; attempt <= 2; attempt++) {
          await assert.rejects(anchorSealedBlocks(job), (error) => {
            errors.push(error);
            return isRoleError(error);
          });
        }
        assert.equal(await chain.client.getTransactionCount({ address: anchorer }), nonce, "no transaction is wasted on a refusal");
        const rows = await anchorRows(env.ledger);
        assert.deepEqual(rows.map((r) => [r.height, r.status, r.attempts]), [[1, "confirmed", 1], [2, "failed", 2], [3, "failed", 2]]);
        assert.match(rows[1].last_error ?? "", /does not hold ANCHORER_ROLE/);
        const state = await getAnchoringState(env.ledger);
        assert.equal(state.anchoredHeight, 1);
        assert.equal(state.lag, 2);
        assert.match(state.lastError?.message ?? "", /ANCHORER_ROLE/);

        // Revoked between the job's checks and its send: the refusal from the chain reads the same.
        await setAnchorerRole(chain, env.registry, anchorer, true);
        const racing = env.newJob({ hooks: { beforeSend: () => setAnchorerRole(chain, env.registry, anchorer, false).then(() => {}) } });
        await assert.rejects(anchorSealedBlocks(racing), (error) => {
          errors.push(error);
          return isRoleError(error);
        });
        assert.deepEqual((await anchorRows(env.ledger)).map((r) => r.status), ["confirmed", "failed", "failed"]);

        await setAnchorerRole(chain, env.registry, anchorer, true);
        const resumed = await anchorSealedBlocks(job);
        assert.equal(resumed.outcome, "anchored");
        await assertChainAndLedgerAgree(chain, env.registry, env.ledger);
        assert.deepEqual((await anchorRows(env.ledger)).map((r) => r.last_error), [null, null, null]);
        assert.equal((await getAnchoringState(env.ledger)).lastError, null);

        assertNoKeyIn(await anchoringTexts(env.ledger, env.lines, errors), DEV_KEYS.anchorer);
      } finally {
        await env.db.dispose();
      }
    });
  });
}
