import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client";
import { queryRows } from "../../db/client";
import { auditLedger, type AuditReport } from "../../lib/ledger/audit";
import { submitRecords } from "../../lib/ledger/ingest";
import { proofForEntry } from "../../lib/ledger/proofs";
import { readHead } from "../../lib/ledger/head";
import type { BlockHeader } from "../../lib/ledger/seal";
import { entryHashOf } from "../../lib/protocol/hash";
import { bytesToHex, hashToBytes, type Hash } from "../../lib/protocol/hex";
import { drivers, skipReason } from "../support/db";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";
import { newKeyPair, signedRecord } from "../support/records";

class Rollback extends Error {}

/** The stored JWS as text (migration 0010 stores it packed), for changing one character of it in SQL. */
const text = sql`sealbook_unpack_jws(jws)`;

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`the audit catches tampering done directly in the database on ${driver}`, { skip: skip ?? false }, () => {
    let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
    let blocks: BlockHeader[];
    const entriesOf = async (height: number): Promise<Hash[]> =>
      (await queryRows<{ entry_hash: Uint8Array }>(env.db.db, sql`select entry_hash from entry_leaves where block_height = ${height} order by leaf_index`)).map((r) =>
        bytesToHex(r.entry_hash),
      );

    before(async () => {
      env = await ledgerWithSigner(driver);
      blocks = [];
      for (const size of [4, 5, 40]) blocks.push(await addSealedBlock(env.ledger, env.privateJwk, size));
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      await submitRecords(env.ledger, [await signedRecord(env.privateJwk, head.root)]);
    });
    after(async () => env?.db.dispose());

    /**
     * Applies `tamper` as a superuser with the append-only triggers switched off, audits the
     * tampered ledger, and rolls everything back so that each case starts from the honest ledger.
     */
    async function auditAfter(tamper: (tx: Database) => Promise<void>): Promise<AuditReport> {
      let report: AuditReport | undefined;
      await assert.rejects(
        env.ledger.db.transaction(async (tx) => {
          await tx.execute(sql`set local session_replication_role = replica`);
          await tamper(tx);
          report = await auditLedger({ ...env.ledger, db: tx });
          throw new Rollback();
        }),
        Rollback,
      );
      return report!;
    }
    const run = async (tx: Database, statement: SQL): Promise<void> => {
      await tx.execute(statement);
    };
    const named = (report: AuditReport, code: string, where: { height?: number; entryHash?: Hash }) =>
      report.findings.some((f) => f.code === code && (where.height === undefined || f.height === where.height) && (where.entryHash === undefined || f.entryHash === where.entryHash));
    const explain = (report: AuditReport) => JSON.stringify(report.findings.map((f) => [f.code, f.height, f.entryHash?.slice(0, 10)]));

    it("finds nothing wrong with an untouched ledger", async () => {
      const report = await auditLedger(env.ledger);
      assert.deepEqual(report.findings, []);
      assert.equal(report.ok, true);
      assert.deepEqual(report.checked, { blocks: 3, entries: 50, pending: 1 });
    });

    it("names the entry whose sealed JWS had one byte changed", async () => {
      const [victim] = await entriesOf(2);
      const report = await auditAfter((tx) =>
        // One character in the middle of the signed payload.
        run(
          tx,
          sql`update entries set jws = sealbook_pack_jws(overlay(${text} placing (case when substr(${text}, strpos(${text}, '.') + 30, 1) = 'A' then 'B' else 'A' end) from strpos(${text}, '.') + 30 for 1))
              where entry_hash = decode(${victim.slice(2)}, 'hex')`,
        ),
      );
      assert.ok(named(report, "entry_hash_mismatch", { height: 2, entryHash: victim }), explain(report));
      assert.ok(["entry_bad_signature", "entry_invalid"].some((code) => named(report, code, { height: 2, entryHash: victim })), explain(report));
    });

    it("names the entry whose stored bytes had one bit changed, wherever the bit is", async () => {
      const victims = await entriesOf(2);
      // The first byte (a segment length), one in the middle, and the last (its padding bits, for most lengths).
      for (const [i, at] of [[0, sql`0`], [1, sql`length(jws) / 2`], [2, sql`length(jws) - 1`]] as const) {
        const victim = victims[i];
        const report = await auditAfter((tx) =>
          run(tx, sql`update entries set jws = set_byte(jws, ${at}, get_byte(jws, ${at}) # 1) where entry_hash = decode(${victim.slice(2)}, 'hex')`),
        );
        assert.ok(named(report, "entry_hash_mismatch", { height: 2, entryHash: victim }), explain(report));
      }
    });

    it("names the entry whose signer column names another signer than its JWS", async () => {
      const [victim] = await entriesOf(2);
      const report = await auditAfter(async (tx) => {
        await run(tx, sql`insert into signers (kid, alg, public_jwk, label, valid_from) values ('other', 'EdDSA', '{}'::jsonb, 'x', now())`);
        await run(tx, sql`update entries set signer_id = sealbook_signer_id('other') where entry_hash = decode(${victim.slice(2)}, 'hex')`);
      });
      assert.ok(named(report, "entry_fields_mismatch", { height: 2, entryHash: victim }), explain(report));
    });

    it("names the block that lost a sealed entry", async () => {
      const [, victim] = await entriesOf(1);
      const report = await auditAfter((tx) => run(tx, sql`delete from entries where entry_hash = decode(${victim.slice(2)}, 'hex')`));
      assert.ok(named(report, "entry_missing", { height: 1, entryHash: victim }), explain(report));
      assert.ok(named(report, "block_entry_count_mismatch", { height: 1 }), explain(report));
      assert.ok(named(report, "block_root_mismatch", { height: 1 }), explain(report));
    });

    it("names the entry whose row in entry_keys was altered or removed, which would hide it from lookups by hash", async () => {
      const [victim] = await entriesOf(3);
      const key = sql`sealbook_root_key(decode(${victim.slice(2)}, 'hex'))`;
      // The proof finds the entry through its keys before the tampering.
      assert.equal((await proofForEntry(env.ledger, victim)).status, "sealed");
      for (const [what, tamper] of [
        ["hash key changed", sql`update entry_keys set hash_key = hash_key + 1 where hash_key = ${key}`],
        ["height changed", sql`update entry_keys set height = 1 where hash_key = ${key}`],
        ["row removed", sql`delete from entry_keys where hash_key = ${key}`],
      ] as const) {
        const report = await auditAfter((tx) => run(tx, tamper));
        // Named as what it is, and nothing else: the entry is still there, listed and sealed.
        assert.deepEqual(
          report.findings.map((f) => [f.code, f.height, f.entryHash]),
          [["entry_key_mismatch", 3, victim]],
          `${what}: ${explain(report)}`,
        );
      }
    });

    it("names the pending entry whose row in entry_keys was altered", async () => {
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      const [pending] = await queryRows<{ entry_hash: Uint8Array }>(env.db.db, sql`select entry_hash from entries where prev_root = ${Buffer.from(hashToBytes(head.root))}`);
      const victim = bytesToHex(pending.entry_hash);
      assert.equal((await proofForEntry(env.ledger, victim)).status, "pending");
      const report = await auditAfter((tx) => run(tx, sql`update entry_keys set height = height + 1 where hash_key = sealbook_root_key(${Buffer.from(pending.entry_hash)}::bytea)`));
      assert.deepEqual(report.findings.map((f) => [f.code, f.height, f.entryHash]), [["entry_key_mismatch", undefined, victim]], explain(report));
      assert.equal(report.checked.pending, 1);
    });

    /**
     * Signs a record against block 2's previous root with a key of the attacker's own, and inserts
     * it (and, with `listed`, a leaf row placing it in block 2) behind the ledger's back.
     */
    async function forgeIntoBlock2(tx: Database, listed: boolean): Promise<Hash> {
      const forger = await newKeyPair("EdDSA");
      const jws = await signedRecord(forger.privateJwk, blocks[1].prevRoot);
      const forged = entryHashOf(jws);
      await run(tx, sql`insert into signers (kid, alg, public_jwk, label, valid_from) values ('forger', 'EdDSA', '{}'::jsonb, 'x', now())`);
      await run(
        tx,
        sql`insert into entries (entry_hash, record_id, signer_id, prev_root, jws, accepted_at)
            values (decode(${forged.slice(2)}, 'hex'), gen_random_uuid(), sealbook_signer_id('forger'), decode(${blocks[1].prevRoot.slice(2)}, 'hex'), sealbook_pack_jws(${jws}), now())`,
      );
      if (listed) await run(tx, sql`insert into entry_leaves (entry_hash, block_height, leaf_index) values (decode(${forged.slice(2)}, 'hex'), 2, 5)`);
      return forged;
    }

    it("names a forged entry inserted into a sealed block, and the block", async () => {
      let forged: Hash | undefined;
      const report = await auditAfter(async (tx) => {
        forged = await forgeIntoBlock2(tx, false);
      });
      assert.ok(named(report, "block_root_mismatch", { height: 2 }), explain(report));
      assert.ok(named(report, "block_entry_count_mismatch", { height: 2 }), explain(report));
      assert.ok(named(report, "entry_not_in_tree", { height: 2, entryHash: forged }), explain(report));
      assert.ok(named(report, "entry_signer_invalid", { height: 2, entryHash: forged }), explain(report));
    });

    it("names a forged entry slipped into a sealed block's published list as well", async () => {
      let forged: Hash | undefined;
      const report = await auditAfter(async (tx) => {
        forged = await forgeIntoBlock2(tx, true);
      });
      assert.ok(named(report, "block_root_mismatch", { height: 2 }), explain(report));
      assert.ok(named(report, "block_entry_count_mismatch", { height: 2 }), explain(report));
      assert.ok(named(report, "entry_signer_invalid", { height: 2, entryHash: forged }), explain(report));
    });

    it("names a block whose root was changed, and the block after it", async () => {
      const report = await auditAfter((tx) => run(tx, sql`update blocks set root = decode(repeat('ee', 32), 'hex') where height = 2`));
      assert.ok(named(report, "block_root_mismatch", { height: 2 }), explain(report));
      assert.ok(named(report, "block_prev_root_mismatch", { height: 3 }), explain(report));
    });

    it("names a block whose prevRoot was changed", async () => {
      const report = await auditAfter((tx) => run(tx, sql`update blocks set prev_root = decode(repeat('11', 32), 'hex') where height = 3`));
      assert.ok(named(report, "block_prev_root_mismatch", { height: 3 }), explain(report));
    });

    it("names the entries and tiles left behind when the last block is deleted", async () => {
      const sealed = await entriesOf(3);
      const report = await auditAfter((tx) => run(tx, sql`delete from blocks where height = 3`));
      for (const entryHash of sealed) assert.ok(named(report, "orphan_entry", { height: 3, entryHash }), explain(report));
      assert.ok(named(report, "orphan_tiles", { height: 3 }), explain(report));
      assert.ok(named(report, "stranded_pending_entry", {}), explain(report));
    });

    it("names both blocks when two blocks swap heights", async () => {
      const report = await auditAfter(async (tx) => {
        await run(tx, sql`update blocks set height = 100 where height = 1`);
        await run(tx, sql`update blocks set height = 1 where height = 2`);
        await run(tx, sql`update blocks set height = 2 where height = 100`);
      });
      assert.ok(named(report, "block_root_mismatch", { height: 1 }) && named(report, "block_root_mismatch", { height: 2 }), explain(report));
      assert.ok(named(report, "block_prev_root_mismatch", { height: 1 }) || named(report, "block_prev_root_mismatch", { height: 2 }), explain(report));
    });

    it("names an entry moved to another block's list, and both blocks", async () => {
      const [moved] = await entriesOf(1);
      const report = await auditAfter((tx) => run(tx, sql`update entry_leaves set block_height = 3, leaf_index = 1000 where entry_hash = decode(${moved.slice(2)}, 'hex')`));
      assert.ok(named(report, "entry_not_in_tree", { height: 1, entryHash: moved }), explain(report));
      assert.ok(named(report, "block_root_mismatch", { height: 3 }), explain(report));
      assert.ok(named(report, "entry_prev_root_mismatch", { height: 3, entryHash: moved }), explain(report));
    });

    it("names an entry moved to another block by rewriting its prevRoot, and both blocks", async () => {
      const [moved] = await entriesOf(1);
      const report = await auditAfter((tx) => run(tx, sql`update entries set prev_root = decode(${blocks[1].root.slice(2)}, 'hex') where entry_hash = decode(${moved.slice(2)}, 'hex')`));
      assert.ok(named(report, "entry_prev_root_mismatch", { height: 1, entryHash: moved }), explain(report));
      assert.ok(named(report, "block_root_mismatch", { height: 1 }), explain(report));
      assert.ok(named(report, "entry_not_in_tree", { height: 3, entryHash: moved }), explain(report));
      assert.ok(named(report, "block_root_mismatch", { height: 3 }), explain(report));
      assert.ok(named(report, "entry_fields_mismatch", { entryHash: moved }), explain(report));
    });

    it("names a block whose stored tree tiles were altered, since its proofs would be wrong", async () => {
      const report = await auditAfter((tx) => run(tx, sql`update block_tree_tiles set nodes = overlay(nodes placing '\\x00'::bytea from 1 for 1) where height = 3 and tile = 0`));
      assert.ok(named(report, "block_tiles_mismatch", { height: 3 }), explain(report));
    });
  });
}
