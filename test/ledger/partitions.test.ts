import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { ensureLedgerPartitions, listPartitions, setPartitionWidth, type Partition, type PartitionedTable } from "../../db/partitions";
import { auditLedger } from "../../lib/ledger/audit";
import { planEvidence } from "../../lib/ledger/evidence";
import { readHead } from "../../lib/ledger/head";
import { submitRecords } from "../../lib/ledger/ingest";
import { proofForEntry } from "../../lib/ledger/proofs";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { decodeRecord } from "../../lib/protocol/record";
import { drivers, skipReason } from "../support/db";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";

/** Small partitions, so that a test ledger spans several: 6 entries, 2 blocks. */
const WIDTHS: Record<PartitionedTable, number> = { entries: 6, entry_leaves: 2, block_tree_tiles: 2 };

/** The partitions of `table` as the catalog has them now. */
async function partitionsOf(db: Parameters<typeof listPartitions>[0], table: PartitionedTable): Promise<Partition[]> {
  return (await listPartitions(db)).filter((p) => p.table === table);
}

/** An `assert.rejects` check: the database's own message (drizzle wraps it as the cause) matches `pattern`. */
function refusedWith(pattern: RegExp) {
  return (error: unknown): boolean => {
    for (let e: unknown = error; e instanceof Error; e = e.cause) if (pattern.test(e.message)) return true;
    return false;
  };
}

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`partitioned storage on ${driver}`, { skip: skip ?? false }, () => {
    let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
    let firstRecord: string;

    before(async () => {
      env = await ledgerWithSigner(driver, "partitions");
      for (const table of Object.keys(WIDTHS) as PartitionedTable[]) await setPartitionWidth(env.ledger.db, table, WIDTHS[table]);
      firstRecord = await signedRecord(env.privateJwk, env.ledger.genesisRoot);
      const [first] = await submitRecords(env.ledger, [firstRecord]);
      assert.equal(first.ok, true);
      await sealPendingEntries(env.ledger);
      for (const size of [5, 4, 7, 3]) await addSealedBlock(env.ledger, env.privateJwk, size);
    });
    after(async () => env?.db.dispose());

    it("creates the partitions ahead of the data as the ledger grows, and spreads the rows over them", async () => {
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      const [{ last }] = await queryRows<{ last: string }>(env.ledger.db, sql`select max(seq) as last from entries`);
      const keys: Record<PartitionedTable, number> = { entries: Number(last), entry_leaves: head.height, block_tree_tiles: head.height };
      for (const table of Object.keys(WIDTHS) as PartitionedTable[]) {
        const parts = await partitionsOf(env.ledger.db, table);
        const top = Math.max(...parts.map((p) => p.upper ?? 0));
        assert.ok(top > keys[table] + WIDTHS[table], `${table}: partitions reach ${top}, past ${keys[table]} by more than a partition`);
        const holding = await queryRows<{ n: string }>(env.ledger.db, sql`select count(distinct tableoid) as n from ${sql.raw(table)}`);
        assert.ok(Number(holding[0].n) >= 3, `${table}: rows in ${holding[0].n} partitions`);
      }
      // Asking again creates nothing: the partitions ahead are there.
      assert.equal(await ensureLedgerPartitions(env.ledger.db), 0);
    });

    it("refuses UPDATE, DELETE and TRUNCATE on a partition created after the migration, directly and through its table", async () => {
      for (const table of Object.keys(WIDTHS) as PartitionedTable[]) {
        const parts = await partitionsOf(env.ledger.db, table);
        // The newest partition that holds rows: made by the seal, long after the migration ran.
        let newest: Partition | undefined;
        for (const p of parts) {
          const [{ n }] = await queryRows<{ n: string }>(env.ledger.db, sql`select count(*) as n from ${sql.raw(`"${p.name}"`)}`);
          if (Number(n) > 0 && (p.lower ?? 0) > 1) newest = p;
        }
        assert.ok(newest, `${table} has a non-empty partition made after the migration`);
        const name = sql.raw(`"${newest.name}"`);
        const column = sql.raw(table === "entries" ? "jws = jws" : table === "entry_leaves" ? "leaf_index = leaf_index" : "nodes = nodes");
        for (const target of [name, sql.raw(table)]) {
          await assert.rejects(env.ledger.db.execute(sql`update ${target} set ${column}`), refusedWith(/append-only/), `UPDATE on ${table} (${newest.name})`);
          await assert.rejects(env.ledger.db.execute(sql`delete from ${target}`), refusedWith(/append-only/), `DELETE on ${table} (${newest.name})`);
          await assert.rejects(env.ledger.db.execute(sql`truncate ${target}`), refusedWith(/append-only/), `TRUNCATE on ${table} (${newest.name})`);
        }
      }
      const report = await auditLedger(env.ledger);
      assert.deepEqual(report.findings, []);
    });

    it("guards a partition made by someone else (pg_partman, or by hand) once the next partitions are ensured", async () => {
      const parts = await partitionsOf(env.ledger.db, "entry_leaves");
      const top = Math.max(...parts.map((p) => p.upper ?? 0));
      await env.ledger.db.execute(sql.raw(`create table entry_leaves_by_hand partition of entry_leaves for values from (${top}) to (${top + 5})`));
      try {
        // Asked for heights inside it, the next partitions start where it ends; and it gets its TRUNCATE guard.
        await ensureLedgerPartitions(env.ledger.db, { height: top + 4 });
        await env.ledger.db.execute(sql`insert into entry_leaves (entry_hash, block_height, leaf_index) values (decode(repeat('ab', 32), 'hex'), ${top}, 0)`);
        await assert.rejects(env.ledger.db.execute(sql`truncate entry_leaves_by_hand`), refusedWith(/append-only/));
        await assert.rejects(env.ledger.db.execute(sql`delete from entry_leaves_by_hand`), refusedWith(/append-only/));
        const after = await partitionsOf(env.ledger.db, "entry_leaves");
        assert.ok(after.some((p) => p.lower === top + 5), "the next partition starts where the hand-made one ends");
      } finally {
        // Leave the ledger as it was for the other tests: the row and its partition go, guards aside.
        await env.ledger.db.transaction(async (tx) => {
          await tx.execute(sql`set local session_replication_role = replica`);
          await tx.execute(sql`alter table entry_leaves detach partition entry_leaves_by_hand`);
          await tx.execute(sql`drop table entry_leaves_by_hand`);
        });
      }
    });

    it("refuses a replay whose first copy sits in another partition, through the API path and in SQL", async () => {
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      // The first record's id, signed again over the current head (another JWS, another entry hash):
      // its first copy is in the first partition, the replay would land in the newest.
      const { payload } = decodeRecord(firstRecord);
      const resigned = await signedRecord(env.privateJwk, head.root, { id: payload.id });
      const [again] = await submitRecords(env.ledger, [resigned]);
      assert.equal(again.ok, false);
      if (!again.ok) assert.equal(again.error.code, "duplicate_record");
      // Written straight into the table, the replay is refused by the database itself.
      const decoded = decodeRecord(resigned);
      await assert.rejects(
        env.ledger.db.execute(
          sql`insert into entries (entry_hash, record_id, signer_id, prev_root, jws, accepted_at)
              values (decode(${decoded.entryHash.slice(2)}, 'hex'), ${payload.id}::uuid, sealbook_signer_id(${decoded.header.kid}),
                      decode(${head.root.slice(2)}, 'hex'), sealbook_pack_jws(${resigned}), now())`,
        ),
        refusedWith(/already in the ledger/),
      );
      const [{ n }] = await queryRows<{ n: string }>(env.ledger.db, sql`select count(*) as n from entries where record_id = ${payload.id}::uuid`);
      assert.equal(Number(n), 1);
      // Found by its record id through its claim, as an evidence bundle looks records up.
      const plan = await planEvidence(env.ledger, { by: "records", recordIds: [payload.id, "00000000-0000-4000-8000-00000000dead"] });
      assert.deepEqual([plan.found, plan.unanchored, plan.unknown], [1, 1, ["00000000-0000-4000-8000-00000000dead"]]);
    });

    it("makes each missing partition once when several callers ask at the same time", async () => {
      const before = await partitionsOf(env.ledger.db, "entries");
      const top = Math.max(...before.map((p) => p.upper ?? 0));
      const far = top + 5 * WIDTHS.entries;
      const made = await Promise.all(Array.from({ length: 4 }, () => ensureLedgerPartitions(env.ledger.db, { seq: far })));
      const after = await partitionsOf(env.ledger.db, "entries");
      assert.equal(made.reduce((a, b) => a + b, 0), after.length - before.length, `made ${made.join("+")}`);
      assert.ok(Math.max(...after.map((p) => p.upper ?? 0)) > far + WIDTHS.entries);
      const bounds = after.filter((p) => p.lower !== null).map((p) => [p.lower!, p.upper!]).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < bounds.length; i++) assert.equal(bounds[i][0], bounds[i - 1][1], "partitions follow one another without gap or overlap");
    });

    it("takes a burst of records past the partitions made ahead, creating the next ones as it goes", async () => {
      const parts = await partitionsOf(env.ledger.db, "entries");
      const top = Math.max(...parts.map((p) => p.upper ?? 0));
      const [{ last }] = await queryRows<{ last: string }>(env.ledger.db, sql`select max(seq) as last from entries`);
      const burst = top - Number(last) + 2 * WIDTHS.entries;
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      const results = await submitRecords(env.ledger, await Promise.all(Array.from({ length: burst }, () => signedRecord(env.privateJwk, head.root))));
      assert.deepEqual(results.filter((r) => !r.ok), []);
      const block = await sealPendingEntries(env.ledger);
      assert.equal(block?.entryCount, burst);
      const sealed = results[burst - 1];
      assert.ok(sealed.ok);
      assert.equal((await proofForEntry(env.ledger, sealed.entryHash)).status, "sealed");
      const report = await auditLedger(env.ledger);
      assert.deepEqual(report.findings, []);
    });
  });
}
