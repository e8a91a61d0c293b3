/**
 * Repair from a backup the chain vouches for, on every case of the tamper matrix (tamper.test.ts),
 * against a real local chain, on PGlite and PostgreSQL: the audit names the damage, the repair puts
 * back exactly the damaged rows, the audit is clean and every proof bundle is what it was.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { readBackupFile } from "../../lib/ledger/backup-file";
import type { BackupLine } from "../../lib/ledger/backup-format";
import { submitRecords } from "../../lib/ledger/ingest";
import { readHead } from "../../lib/ledger/head";
import { repairLedger, type RepairReport } from "../../lib/ledger/repair";
import type { BlockHeader } from "../../lib/ledger/seal";
import { entryHashOf } from "../../lib/protocol/hash";
import { bytesToHex, type Hash } from "../../lib/protocol/hex";
import { anchoringEnv, type AnchoringEnv } from "../support/anchoring";
import { allProofBundles, anchorAll, backupFolder, backupTo, chainAudit, ledgerDigest, registryRoots, useTestChain } from "../support/backup";
import { drivers, skipReason } from "../support/db";
import { addSealedBlock } from "../support/ledger";
import { newKeyPair, signedRecord } from "../support/records";

const testChain = useTestChain();

/** The stored JWS as text (migration 0010 stores it packed), for changing one character of it in SQL. */
const text = sql`sealbook_unpack_jws(jws)`;

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`repair from a backup the chain vouches for on ${driver}`, { skip: skip ?? false }, () => {
    let env: AnchoringEnv;
    let blocks: BlockHeader[];
    const file = path.join(backupFolder(), "ledger.sealbook.gz");

    before(async () => {
      env = await anchoringEnv(driver, testChain());
      blocks = [];
      for (const size of [4, 5, 40]) blocks.push(await addSealedBlock(env.ledger, env.privateJwk, size));
      await anchorAll(env);
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      await submitRecords(env.ledger, [await signedRecord(env.privateJwk, head.root)]);
      await backupTo(env.ledger, file);
    });
    after(async () => env?.db.dispose());

    const entriesOf = async (height: number, db: Database = env.db.db): Promise<Hash[]> =>
      (await queryRows<{ entry_hash: Uint8Array }>(db, sql`select entry_hash from entry_leaves where block_height = ${height} order by leaf_index`)).map((r) => bytesToHex(r.entry_hash));
    const run = async (tx: Database, statement: SQL) => {
      await tx.execute(statement);
    };
    /** Tampers as a superuser with the triggers off, and commits: the damage stays until repaired. */
    const tamper = (change: (tx: Database) => Promise<void>) =>
      env.ledger.db.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await change(tx);
      });
    const audit = () => chainAudit(testChain(), env.registry, env.ledger);
    const repair = async (dryRun = false): Promise<RepairReport> =>
      repairLedger(env.ledger, () => readBackupFile(file), await registryRoots(testChain(), env.registry), {
        dryRun,
        audit,
        onBlockRepaired: async (tx, summary) => {
          await tx.execute(sql`insert into admin_log (at, action, target, outcome, details) values (now(), 'ledger.repair', ${`block ${summary.height}`}, 'ok', ${JSON.stringify(summary)}::jsonb)`);
        },
      });
    const explain = (findings: { code: string; height?: number }[]) => JSON.stringify(findings.map((f) => [f.code, f.height]));

    /** Signs a record against block 2's previous root with an attacker's own key and slips it in. */
    async function forgeIntoBlock2(tx: Database, listed: boolean): Promise<Hash> {
      const forger = await newKeyPair("EdDSA");
      const jws = await signedRecord(forger.privateJwk, blocks[1].prevRoot);
      const forged = entryHashOf(jws);
      await run(tx, sql`insert into signers (kid, alg, public_jwk, label, valid_from) values (${`forger-${forged.slice(2, 10)}`}, 'EdDSA', '{}'::jsonb, 'x', now())`);
      await run(
        tx,
        sql`insert into entries (entry_hash, record_id, signer_id, prev_root, jws, accepted_at)
            values (decode(${forged.slice(2)}, 'hex'), gen_random_uuid(), sealbook_signer_id(${`forger-${forged.slice(2, 10)}`}), decode(${blocks[1].prevRoot.slice(2)}, 'hex'), sealbook_pack_jws(${jws}), now())`,
      );
      if (listed) await run(tx, sql`insert into entry_leaves (entry_hash, block_height, leaf_index) values (decode(${forged.slice(2)}, 'hex'), 2, 5)`);
      return forged;
    }

    /** The tamper matrix: each case's damage, and the blocks the audit must name. */
    const cases: Array<{ name: string; damage: (tx: Database) => Promise<void>; named: number[] }> = [
      {
        name: "one byte changed in a sealed entry's JWS",
        named: [2],
        damage: async (tx) => {
          const [victim] = await entriesOf(2, tx);
          await run(
            tx,
            sql`update entries set jws = sealbook_pack_jws(overlay(${text} placing (case when substr(${text}, strpos(${text}, '.') + 30, 1) = 'A' then 'B' else 'A' end) from strpos(${text}, '.') + 30 for 1))
                where entry_hash = decode(${victim.slice(2)}, 'hex')`,
          );
        },
      },
      {
        name: "a sealed entry deleted",
        named: [1],
        damage: async (tx) => {
          const [, victim] = await entriesOf(1, tx);
          await run(tx, sql`delete from entries where entry_hash = decode(${victim.slice(2)}, 'hex')`);
        },
      },
      { name: "a forged entry inserted into a sealed block", named: [2], damage: async (tx) => void (await forgeIntoBlock2(tx, false)) },
      { name: "a forged entry slipped into a sealed block's published list", named: [2], damage: async (tx) => void (await forgeIntoBlock2(tx, true)) },
      { name: "a block's root changed", named: [2, 3], damage: (tx) => run(tx, sql`update blocks set root = decode(repeat('ee', 32), 'hex') where height = 2`) },
      { name: "a block's prevRoot changed", named: [3], damage: (tx) => run(tx, sql`update blocks set prev_root = decode(repeat('11', 32), 'hex') where height = 3`) },
      { name: "the last block deleted", named: [3], damage: (tx) => run(tx, sql`delete from blocks where height = 3`) },
      {
        name: "two blocks swapping heights",
        named: [1, 2],
        damage: async (tx) => {
          await run(tx, sql`update blocks set height = 100 where height = 1`);
          await run(tx, sql`update blocks set height = 1 where height = 2`);
          await run(tx, sql`update blocks set height = 2 where height = 100`);
        },
      },
      {
        name: "an entry moved to another block's list",
        named: [1, 3],
        damage: async (tx) => {
          const [moved] = await entriesOf(1, tx);
          await run(tx, sql`update entry_leaves set block_height = 3, leaf_index = 1000 where entry_hash = decode(${moved.slice(2)}, 'hex')`);
        },
      },
      {
        name: "an entry moved to another block by rewriting its prevRoot",
        named: [1, 3],
        damage: async (tx) => {
          const [moved] = await entriesOf(1, tx);
          await run(tx, sql`update entries set prev_root = decode(${blocks[1].root.slice(2)}, 'hex') where entry_hash = decode(${moved.slice(2)}, 'hex')`);
        },
      },
      { name: "a block's stored tree tiles altered", named: [3], damage: (tx) => run(tx, sql`update block_tree_tiles set nodes = overlay(nodes placing '\\x00'::bytea from 1 for 1) where height = 3 and tile = 0`) },
    ];

    for (const c of cases) {
      it(`mends ${c.name}: the audit names it, a dry run changes nothing, the repair leaves the audit clean and every proof bundle as before`, async () => {
        const proofsBefore = await allProofBundles(env.ledger);
        const digestBefore = await ledgerDigest(env.ledger);
        await tamper(c.damage);

        const damaged = await audit();
        for (const h of c.named) assert.ok(damaged.findings.some((f) => f.height === h), `block ${h} is named: ${explain(damaged.findings)}`);

        const tamperedDigest = await ledgerDigest(env.ledger);
        const dry = await repair(true);
        assert.equal(dry.dryRun, true);
        assert.ok(dry.repaired.some((r) => r.rowsChanged > 0), "the dry run says what it would change");
        assert.deepEqual(await ledgerDigest(env.ledger), tamperedDigest, "the dry run changed nothing");

        const [{ n: logBefore }] = await queryRows<{ n: number }>(env.db.db, sql`select count(*)::int as n from admin_log where action = 'ledger.repair'`);
        const report = await repair();
        assert.deepEqual(report.notRepaired, [], JSON.stringify(report.notRepaired));
        assert.ok(report.ok, explain(report.after?.findings ?? []));
        assert.deepEqual((await audit()).findings, []);
        assert.deepEqual(await allProofBundles(env.ledger), proofsBefore, "every proof bundle is as before the tampering");
        const { signers: _signersBefore, ...ledgerRowsBefore } = digestBefore;
        const { signers: _signersAfter, ...ledgerRowsAfter } = await ledgerDigest(env.ledger);
        assert.deepEqual(ledgerRowsAfter, ledgerRowsBefore, "entries, leaves, blocks, tiles and anchors are exactly as before");
        const [{ n: logAfter }] = await queryRows<{ n: number }>(env.db.db, sql`select count(*)::int as n from admin_log where action = 'ledger.repair'`);
        assert.equal(logAfter - logBefore, report.repaired.filter((r) => r.rowsChanged > 0).length, "each repaired block is in the admin log");
      });
    }

    it("refuses a tampered backup's copy of a damaged block, says why, and changes nothing", async () => {
      const lines = gunzipSync(readFileSync(file)).toString("utf8").trim().split("\n").map((l) => JSON.parse(l) as BackupLine);
      let block = 0;
      let dropped: Hash | null = null;
      const tamperedLines = lines.filter((l) => {
        if (l.type === "block") block = l.height;
        else if (l.type !== "entry") block = 0;
        if (l.type === "entry" && block === 1 && !dropped) {
          dropped = l.entryHash;
          return false;
        }
        return true;
      });
      const tamperedFile = path.join(path.dirname(file), "tampered.sealbook.gz");
      writeFileSync(tamperedFile, gzipSync(tamperedLines.map((l) => JSON.stringify(l)).join("\n") + "\n"));
      await tamper((tx) => run(tx, sql`update blocks set entry_count = 3 where height = 1`));
      const damaged = await ledgerDigest(env.ledger);
      const report = await repairLedger(env.ledger, () => readBackupFile(tamperedFile), await registryRoots(testChain(), env.registry), { audit });
      assert.equal(report.ok, false);
      assert.match(report.notRepaired.find((n) => n.height === 1)?.reason ?? "", /does not match the chain/);
      assert.deepEqual(await ledgerDigest(env.ledger), damaged, "nothing was changed");
      assert.ok((await repair()).ok, "the honest backup still mends it");
    });

    it("leaves a block it cannot vouch for alone and says why: the backup does not cover it, or it was never anchored", async () => {
      const block4 = await addSealedBlock(env.ledger, env.privateJwk, 3); // after the backup, never anchored
      const newer = path.join(path.dirname(file), "with-block-4.sealbook.gz");
      await backupTo(env.ledger, newer);
      await tamper((tx) => run(tx, sql`update blocks set entry_count = 99 where height = ${block4.height}`));
      const tampered = await ledgerDigest(env.ledger);
      const roots = await registryRoots(testChain(), env.registry);
      const fromOld = await repairLedger(env.ledger, () => readBackupFile(file), roots, { audit });
      assert.equal(fromOld.ok, false);
      assert.match(fromOld.notRepaired.find((n) => n.height === 4)?.reason ?? "", /does not cover block 4: it ends at block 3/);
      const fromNewer = await repairLedger(env.ledger, () => readBackupFile(newer), roots, { audit });
      assert.equal(fromNewer.ok, false);
      assert.match(fromNewer.notRepaired.find((n) => n.height === 4)?.reason ?? "", /never anchored/);
      assert.deepEqual(await ledgerDigest(env.ledger), tampered, "nothing was changed");
    });

    it("keeps the append-only guard outside a repair transaction, and for rows a repair did not list", async () => {
      const refused = (statement: SQL) => assert.rejects(env.db.db.execute(statement), (e: Error) => /append-only/.test(String(e.cause ?? e)));
      await refused(sql`update blocks set sealed_at = now() where height = 1`);
      await refused(sql`delete from entries where seq = 1`);
      // The setting alone lifts nothing: the row must be listed in the transaction's own table.
      await assert.rejects(
        env.ledger.db.transaction(async (tx) => {
          await tx.execute(sql`select set_config('sealbook.repair', 'block:1', true)`);
          await tx.execute(sql`create temp table sealbook_repair_rows (table_name text, row_key text) on commit drop`);
          await tx.execute(sql`insert into sealbook_repair_rows values ('blocks', '2')`);
          await tx.execute(sql`update blocks set sealed_at = now() where height = 1`);
        }),
        (e: Error) => /append-only/.test(String(e.cause ?? e)),
      );
      // A listed row may change inside the transaction; rolled back here.
      await assert.rejects(
        env.ledger.db.transaction(async (tx) => {
          await tx.execute(sql`select set_config('sealbook.repair', 'block:1', true)`);
          await tx.execute(sql`create temp table sealbook_repair_rows (table_name text, row_key text) on commit drop`);
          await tx.execute(sql`insert into sealbook_repair_rows values ('blocks', '1')`);
          await tx.execute(sql`update blocks set sealed_at = sealed_at where height = 1`);
          throw new Error("rolled back on purpose");
        }),
        /rolled back on purpose/,
      );
      // And once that transaction is over, the same change is refused again.
      await refused(sql`update blocks set sealed_at = sealed_at where height = 1`);
    });
  });
}
