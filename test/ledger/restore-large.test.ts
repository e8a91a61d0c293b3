/**
 * LARGE: backs up and restores 100,000 entries across 20 blocks on PostgreSQL (20,000 across 20
 * blocks on PGlite, whose in-memory database makes the full size slow on a shared 2-core machine),
 * against a local chain, and checks the restored ledger with audit --chain. It takes a minute or two.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { openLedger } from "../../lib/ledger/context";
import { readBackupFile } from "../../lib/ledger/backup-file";
import { readHead } from "../../lib/ledger/head";
import { MAX_BATCH, submitRecords } from "../../lib/ledger/ingest";
import { restoreLedger } from "../../lib/ledger/restore";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { signManyRecords } from "../../bench/support/sign-workers";
import { anchoringEnv, type AnchoringEnv } from "../support/anchoring";
import { anchorAll, backupFolder, backupTo, chainAudit, ledgerDigest, registryRoots, useTestChain } from "../support/backup";
import { drivers, freshDatabase, skipReason } from "../support/db";

const ENTRIES = { postgres: 100_000, pglite: 20_000 } as const;
const BLOCKS = 20;

const testChain = useTestChain();

for (const driver of drivers) {
  const skip = await skipReason(driver);
  const total = ENTRIES[driver];
  describe(`restoring a large ledger on ${driver}`, { skip: skip ?? false }, () => {
    let env: AnchoringEnv;
    before(async () => {
      env = await anchoringEnv(driver, testChain());
      for (let b = 0; b < BLOCKS; b++) {
        const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
        const records = await signManyRecords(env.privateJwk, env.kid, head.root, total / BLOCKS);
        for (let i = 0; i < records.length; i += MAX_BATCH) {
          const results = await submitRecords(env.ledger, records.slice(i, i + MAX_BATCH));
          assert.ok(results.every((r) => r.ok), "every test record is accepted");
        }
        assert.ok(await sealPendingEntries(env.ledger));
      }
      await anchorAll(env);
    });
    after(async () => env?.db.dispose());

    it(`restores ${total.toLocaleString("en")} entries across ${BLOCKS} blocks, every root checked on chain, and audit --chain passes`, async () => {
      const file = path.join(backupFolder(), "large.sealbook.gz");
      const backedUp = await backupTo(env.ledger, file);
      assert.equal(backedUp.counts.entries, total);
      const db = await freshDatabase(driver);
      try {
        const ledger = await openLedger(db, env.ledger.ledgerId);
        const report = await restoreLedger(ledger, readBackupFile(file), await registryRoots(testChain(), env.registry));
        assert.equal(report.counts.entries, total);
        assert.deepEqual(report.vouched, { from: 1, to: BLOCKS });
        assert.deepEqual(await ledgerDigest(ledger), await ledgerDigest(env.ledger), "every row is the same");
        const audit = await chainAudit(testChain(), env.registry, ledger);
        assert.deepEqual(audit.findings, []);
        assert.deepEqual(audit.checked, { blocks: BLOCKS, entries: total, pending: 0 });
      } finally {
        await db.dispose();
      }
    });
  });
}
