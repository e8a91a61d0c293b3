import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { calculateJwkThumbprint } from "jose";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import { randomBytes } from "node:crypto";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { migrationsFolder, wrapPglite, type Database, type DatabaseHandle } from "../../db/client";
import * as schema from "../../db/schema";
import { auditLedger } from "../../lib/ledger/audit";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { proofForEntry } from "../../lib/ledger/proofs";
import { archivedEntryPosition } from "../../lib/ledger/archived-blocks";
import { readHead } from "../../lib/ledger/head";
import { entryKeysOf } from "../../db/entry-keys";
import { listBlockEntries } from "../../lib/ledger/reads";
import { leafBytesOf } from "../../lib/protocol/hash";
import { bytesToHex, hashToBytes } from "../../lib/protocol/hex";
import { buildBlockTree, proofFromTree } from "../../lib/protocol/merkle";
import { decodeRecord } from "../../lib/protocol/record";
import { completeDerivedData, writeDerivedRows } from "../../lib/ledger/derived";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { submitRecords } from "../../lib/ledger/ingest";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { Hash } from "../../lib/protocol/hex";
import { NODE_BYTES } from "../../lib/protocol/merkle";
import { adminUrl, drivers, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";
import { vectors } from "../support/vectors";

/**
 * The tiles as the seal wrote them before the compact store (migration 0006): heap-ordered tiles
 * rooted at depths 0, 5, 10, …, each a fixed 62 slots of 32 bytes, zero past the end of the tree.
 */
function* legacyHeapTiles(nodes: Uint8Array): Generator<[tile: number, bytes: Uint8Array]> {
  const LEVELS = 5;
  const nodeCount = nodes.length / NODE_BYTES;
  for (let depth = 0; ; depth += LEVELS) {
    const first = (1 << depth) - 1;
    if (2 * first + 1 >= nodeCount) return;
    const last = Math.min((1 << (depth + 1)) - 2, nodeCount - 1);
    for (let tile = first; tile <= last && 2 * tile + 1 < nodeCount; tile++) {
      const bytes = new Uint8Array(62 * NODE_BYTES);
      for (let level = 1; level <= LEVELS; level++) {
        const start = ((tile + 1) << level) - 1;
        if (start >= nodeCount) break;
        const end = Math.min(start + (1 << level), nodeCount);
        bytes.set(nodes.subarray(start * NODE_BYTES, end * NODE_BYTES), ((1 << level) - 2) * NODE_BYTES);
      }
      yield [tile, bytes];
    }
  }
}

/** A copy of the migrations folder that stops before the migration tagged `stopBefore`. */
function migrationsUpTo(stopBefore: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sealbook-migrations-"));
  cpSync(migrationsFolder(), dir, { recursive: true });
  const journalFile = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
  journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === stopBefore));
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

/**
 * Stores `records` (valid, signed) as ingest did before migration 0010: the kid, kind and JWS as
 * text. Returns their entry hashes, in order.
 */
async function insertEntriesAsBefore(client: OldLedger["client"], records: string[]): Promise<Hash[]> {
  const hashes: Hash[] = [];
  for (const jws of records) {
    const { entryHash, header, payload } = decodeRecord(jws);
    await client.query(
      `insert into entries (entry_hash, record_id, kid, kind, prev_root, jws, accepted_at) values (decode($1, 'hex'), $2, $3, $4, decode($5, 'hex'), $6, now())`,
      [entryHash.slice(2), payload.id.toLowerCase(), header.kid, payload.kind, payload.prevRoot.slice(2), jws],
    );
    hashes.push(entryHash);
  }
  return hashes;
}

/**
 * An in-memory PGlite ledger migrated up to (not including) the migration tagged `stopBefore`,
 * with one registered Ed25519 signer; `migrateRest` applies the remaining migrations and reopens it.
 */
async function ledgerBefore(stopBefore: string, ledgerId: string) {
  const client = new PGlite();
  const old = migrationsUpTo(stopBefore);
  await migrate(drizzle(client), { migrationsFolder: old });
  const ledger = await openLedger(wrapPglite(client, "memory://"), ledgerId);
  const pair = await signerAsBefore(client);
  return {
    client,
    ledger,
    pair,
    migrateRest: async () => {
      await migrate(drizzle(client), { migrationsFolder: migrationsFolder() });
      return openLedger(wrapPglite(client, "memory://"), ledgerId);
    },
    dispose: async () => {
      rmSync(old, { recursive: true, force: true });
      await client.close();
    },
  };
}

/** A ledger of an older schema, on either driver: `client.query` answers as PGlite's does. */
type OldLedger = {
  client: { query<T>(text: string, params?: unknown[]): Promise<{ rows: T[] }> };
  ledger: LedgerContext;
  pair: Awaited<ReturnType<typeof newKeyPair>>;
  migrateRest(): Promise<LedgerContext>;
  dispose(): Promise<void>;
};

/** `ledgerBefore` on PostgreSQL: a database of its own, migrated with postgres.js up to `stopBefore`. */
async function postgresLedgerBefore(stopBefore: string, ledgerId: string): Promise<OldLedger> {
  const name = `sealbook_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const connection = postgres(url.toString(), { max: 1, onnotice: () => {} });
  const old = migrationsUpTo(stopBefore);
  await migratePostgres(drizzlePostgres(connection), { migrationsFolder: old });
  const handle: DatabaseHandle = {
    db: drizzlePostgres(connection, { schema }) as unknown as Database,
    driver: "postgres",
    client: { driver: "postgres", sql: connection },
    location: name,
    close: async () => {},
  };
  const ledger = await openLedger(handle, ledgerId);
  const client: OldLedger["client"] = { query: async <T>(text: string, params: unknown[] = []) => ({ rows: (await connection.unsafe(text, params as never[])) as unknown as T[] }) };
  const pair = await signerAsBefore(client);
  return {
    client,
    ledger,
    pair,
    migrateRest: async () => {
      await migratePostgres(drizzlePostgres(connection), { migrationsFolder: migrationsFolder() });
      return openLedger(handle, ledgerId);
    },
    dispose: async () => {
      rmSync(old, { recursive: true, force: true });
      await connection.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** One Ed25519 signer, registered in SQL as the schema of then had it: today's code writes today's columns. */
async function signerAsBefore(client: OldLedger["client"]) {
  const pair = await newKeyPair("EdDSA");
  await client.query(`insert into signers (kid, alg, public_jwk, label, valid_from) values ($1, 'EdDSA', $2, 'migration test', now() - interval '1 minute')`, [
    await calculateJwkThumbprint(pair.publicJwk),
    JSON.stringify(pair.publicJwk),
  ]);
  return pair;
}

describe("migrating a ledger sealed before entry_leaves existed", () => {
  it("keeps every sealed entry in its block, with its leaf position and proof", async () => {
    const client = new PGlite();
    const old = migrationsUpTo("0003_entry_leaves");
    try {
      await migrate(drizzle(client), { migrationsFolder: old });
      // Block 1 of the vectors, sealed the old way: leaf positions on the entry rows.
      const leafOf = (entryHash: string) => bytesToHex(leafBytesOf(hashToBytes(entryHash)));
      const sorted = [...vectors.block1.entries].sort((a, b) => (leafOf(a) < leafOf(b) ? -1 : 1));
      await client.query(`insert into ledger (id, genesis_root) values ($1, decode($2, 'hex'))`, [vectors.ledgerId, vectors.genesisRoot.slice(2)]);
      for (const signer of vectors.signers) {
        await client.query(`insert into signers (kid, alg, public_jwk, label, valid_from) values ($1, $2, $3, 'vector signer', '2026-01-01')`, [signer.kid, signer.alg, JSON.stringify(signer.publicJwk)]);
      }
      for (const record of vectors.records) {
        const payload = record.payload as { id: string; kind: string; prevRoot: string };
        await client.query(
          `insert into entries (entry_hash, record_id, kid, kind, prev_root, jws, accepted_at, block_height, leaf_index)
           values (decode($1, 'hex'), $2, $3, $4, decode($5, 'hex'), $6, '2026-11-22T10:05:00Z', 1, $7)`,
          [record.entryHash.slice(2), payload.id, record.kid, payload.kind, payload.prevRoot.slice(2), record.jws, sorted.indexOf(record.entryHash)],
        );
      }
      await client.query(
        `insert into blocks (height, root, prev_root, entry_count, sealed_at) values (1, decode($1, 'hex'), decode($2, 'hex'), 5, '2026-11-22T10:06:00Z')`,
        [vectors.block1.root.slice(2), vectors.block1.prevRoot.slice(2)],
      );
      for (const [tile, bytes] of legacyHeapTiles(buildBlockTree(vectors.block1.entries.map(hashToBytes)).nodes)) {
        await client.query(`insert into block_tree_tiles (height, tile, nodes) values (1, $1, $2)`, [tile, bytes]);
      }

      await migrate(drizzle(client), { migrationsFolder: migrationsFolder() });
      const ledger = await openLedger(wrapPglite(client, "memory://"), vectors.ledgerId);
      assert.deepEqual(await completeDerivedData(ledger), [1], "the start after the compact-store migration rebuilds the tiles");
      const listed = await listBlockEntries(ledger, 1, { limit: 10 });
      assert.deepEqual(listed.entries.map((e) => e.entryHash), sorted);
      for (const entryHash of vectors.block1.entries) {
        const answer = await proofForEntry(ledger, entryHash);
        assert.equal(answer.status, "sealed");
        if (answer.status === "sealed") assert.deepEqual(answer.bundle.proof, vectors.block1.proofs[entryHash]);
      }
      const report = await auditLedger(ledger);
      assert.deepEqual(report.findings, []);
      assert.deepEqual(report.checked, { blocks: 1, entries: 5, pending: 0 });
    } finally {
      rmSync(old, { recursive: true, force: true });
      await client.close();
    }
  });
});


describe("migrating a ledger sealed before the compact store (0007_compact_tree)", () => {
  it("rebuilds every block's tiles in the dense layout at the next start, with the same proofs, and the audit agrees", async () => {
    const setup = await ledgerBefore("0007_compact_tree", "compact-migration");
    const { client, pair, ledger: before } = setup;
    try {
      // Two blocks sealed as the code before 0006 sealed them: header, leaf rows and heap-layout tiles in one go.
      let head: Hash = before.genesisRoot;
      const sealed: Array<{ root: Hash; entries: Hash[] }> = [];
      for (const [height, size] of [[1, 300], [2, 70]] as const) {
        const entries = await insertEntriesAsBefore(client, await Promise.all(Array.from({ length: size }, () => signedRecord(pair.privateJwk, head))));
        const tree = buildBlockTree(entries.map(hashToBytes));
        await client.query(`insert into blocks (height, root, prev_root, entry_count, sealed_at) values ($1, decode($2, 'hex'), decode($3, 'hex'), $4, now())`, [
          height,
          tree.root.slice(2),
          head.slice(2),
          size,
        ]);
        for (let leaf = 0; leaf < size; leaf++) {
          await client.query(`insert into entry_leaves (entry_hash, block_height, leaf_index) values (decode($1, 'hex'), $2, $3)`, [
            entries[tree.sortedEntryIndex[leaf]].slice(2),
            height,
            leaf,
          ]);
        }
        for (const [tile, bytes] of legacyHeapTiles(tree.nodes)) {
          await client.query(`insert into block_tree_tiles (height, tile, nodes) values ($1, $2, $3)`, [height, tile, bytes]);
        }
        sealed.push({ root: tree.root, entries });
        head = tree.root;
      }

      const ledger = await setup.migrateRest();
      // Until the start rebuilds them, proofs of those blocks answer "try again", never a wrong proof.
      assert.equal((await proofForEntry(ledger, sealed[0].entries[0])).status, "deriving");
      const waiting = await auditLedger(ledger);
      assert.deepEqual(waiting.findings, []);
      assert.deepEqual(waiting.derivedPending, [1, 2]);

      assert.deepEqual(await completeDerivedData(ledger), [1, 2]);
      for (const { root, entries } of sealed) {
        const reference = StandardMerkleTree.of(entries.map((h) => [h]), ["bytes32"]);
        assert.equal(reference.root, root);
        for (const [index, [entryHash]] of reference.entries()) {
          const answer = await proofForEntry(ledger, entryHash as Hash);
          assert.equal(answer.status, "sealed");
          if (answer.status === "sealed") assert.deepEqual(answer.bundle.proof, reference.getProof(index), `leaf ${index}`);
        }
      }
      // The dense tiles hold each node below the root exactly once.
      const [{ bytes }] = (await client.query<{ bytes: number }>(`select sum(length(nodes))::int as bytes from block_tree_tiles`)).rows;
      assert.equal(bytes, (2 * 300 - 2 + 2 * 70 - 2) * NODE_BYTES);
      const report = await auditLedger(ledger);
      assert.deepEqual(report.findings, []);
      assert.deepEqual(report.derivedPending, []);
      assert.deepEqual(report.checked, { blocks: 2, entries: 370, pending: 0 });
    } finally {
      await setup.dispose();
    }
  });
});

/**
 * Seals blocks of `sizes` into the ledger `setup` holds as today's seal leaves them: entries (stored
 * as before 0010), the header, then leaf rows, tiles and block_derived written by the one writer of
 * derived rows. `sign` signs the i-th record of a block against `head`.
 */
async function sealBlocksAsBefore(setup: OldLedger, sizes: number[], sign: (i: number, head: Hash) => Promise<string>) {
  let head: Hash = setup.ledger.genesisRoot;
  const sealed: Hash[] = [];
  const written = new Map<Hash, string>();
  let leafOrder: Hash[] = [];
  // What each sealed entry's proof must give, from the tree itself: the code of then cannot read a
  // schema older than today's, so proofs are compared with these before and after a migration.
  const proofs = new Map<Hash, ExpectedProof>();
  for (const [index, size] of sizes.entries()) {
    const height = index + 1;
    const prevRoot = head;
    const records = await Promise.all(Array.from({ length: size }, (_, i) => sign(i, prevRoot)));
    const entries = await insertEntriesAsBefore(setup.client, records);
    entries.forEach((h, i) => written.set(h, records[i]));
    const packed = new Uint8Array(entries.length * 32);
    entries.forEach((h, i) => packed.set(hashToBytes(h), i * 32));
    const tree = buildBlockTree(entries.map(hashToBytes));
    await setup.client.query(`insert into blocks (height, root, prev_root, entry_count, sealed_at) values ($1, decode($2, 'hex'), decode($3, 'hex'), $4, now())`, [
      height,
      tree.root.slice(2),
      head.slice(2),
      size,
    ]);
    await setup.ledger.db.transaction((tx) => writeDerivedRows(tx, height, packed, tree));
    if (height === 1) leafOrder = Array.from(tree.sortedEntryIndex, (i) => entries[i]);
    tree.sortedEntryIndex.forEach((i, leafIndex) => proofs.set(entries[i], { height, root: tree.root, prevRoot, entryCount: size, proof: proofFromTree(tree, leafIndex) }));
    sealed.push(...entries);
    head = tree.root;
  }
  return { head, sealed, written, leafOrder, proofs };
}

type ExpectedProof = { height: number; root: Hash; prevRoot: Hash; entryCount: number; proof: Hash[] };

/** Asserts that `ledger` answers each entry's proof as its block's tree gives it. */
async function assertProofs(ledger: LedgerContext, proofs: Map<Hash, ExpectedProof>) {
  for (const [h, want] of proofs) {
    const answer = await proofForEntry(ledger, h);
    if (answer.status !== "sealed") assert.fail(`proof of ${h}: ${answer.status}`);
    const { height, root, prevRoot, entryCount } = answer.bundle.block;
    assert.deepEqual({ height, root, prevRoot, entryCount, proof: answer.bundle.proof }, want, `proof of ${h}`);
  }
}

/**
 * What a migrated ledger must still do: give the proofs it gave before, list block 1 in leaf order,
 * refuse a replay of `replayed` (by the record id's claim, migration 0009), seal its pending entries as
 * block 3 of `block3` entries, and pass the audit over `entries` entries.
 */
async function assertLedgerStillWorks(ledger: LedgerContext, expected: { proofs: Map<Hash, ExpectedProof>; leafOrder: Hash[]; replayed: string; block3: number; entries: number }) {
  await assertProofs(ledger, expected.proofs);
  const listed = await listBlockEntries(ledger, 1, { limit: 1000 });
  assert.deepEqual(listed.entries, expected.leafOrder.map((entryHash, leafIndex) => ({ entryHash, leafIndex })), "block 1 lists its entries in leaf order");
  const [again] = await submitRecords(ledger, [expected.replayed]);
  assert.equal(again.ok, false);
  if (!again.ok) assert.equal(again.error.code, "duplicate_record");
  const block3 = await sealPendingEntries(ledger);
  assert.equal(block3?.entryCount, expected.block3);
  const report = await auditLedger(ledger);
  assert.deepEqual(report.findings, []);
  assert.deepEqual(report.checked, { blocks: 3, entries: expected.entries, pending: 0 });
}

describe("migrating a ledger written before the narrow entry indexes (0008_compact_entries)", () => {
  it("keeps every entry, leaf position and proof, refuses replays as before, seals on, and the audit agrees", async () => {
    const setup = await ledgerBefore("0008_compact_entries", "narrow-index-migration");
    const { client, pair } = setup;
    try {
      // Two blocks as today's seal leaves them, then entries pending on the head.
      const { head, proofs, leafOrder } = await sealBlocksAsBefore(setup, [130, 9], (_, prevRoot) => signedRecord(pair.privateJwk, prevRoot));
      const replayed = await signedRecord(pair.privateJwk, head);
      await insertEntriesAsBefore(client, [replayed, await signedRecord(pair.privateJwk, head)]);

      const ledger = await setup.migrateRest();
      const indexes = (await client.query<{ indexname: string; indexdef: string }>(`select indexname, indexdef from pg_indexes where tablename in ('entries', 'entry_leaves') order by indexname`)).rows;
      assert.deepEqual(
        indexes.map((i) => i.indexname),
        // entries_record_id_unique went with 0009 and entries_entry_hash_idx with 0011: a record id
        // is unique, and an entry found by its hash, by its row in entry_keys.
        ["entries_pkey", "entries_prev_root_idx", "entry_leaves_entry_hash_idx", "entry_leaves_pkey"],
      );
      assert.match(indexes.find((i) => i.indexname === "entry_leaves_pkey")!.indexdef, /\(block_height, leaf_index\)/);
      assert.match(indexes.find((i) => i.indexname === "entry_leaves_entry_hash_idx")!.indexdef, /USING hash/);

      await assertLedgerStillWorks(ledger, { proofs, leafOrder, replayed, block3: 2, entries: 141 });
    } finally {
      await setup.dispose();
    }
  });
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`migrating a ${driver} ledger written before partitioned storage (0009_partitioned_storage)`, { skip: skip ?? false }, () => {
    it("makes the tables as they were the first partitions, keeps every proof and block list, refuses replays, seals into new partitions, and the audit agrees", async () => {
      const setup = driver === "pglite" ? await ledgerBefore("0009_partitioned_storage", "partition-migration") : await postgresLedgerBefore("0009_partitioned_storage", "partition-migration");
      const { client, pair } = setup;
      try {
        // Two blocks as the code of then left them (header, then the one writer of derived rows),
        // and two entries pending on the head, one of which is replayed after the migration.
        const { head, proofs, leafOrder, written } = await sealBlocksAsBefore(setup, [40, 11], (_, prevRoot) => signedRecord(pair.privateJwk, prevRoot));
        const firstRecord = written.get(leafOrder[0])!;
        const pendingRecord = await signedRecord(pair.privateJwk, head);
        await insertEntriesAsBefore(client, [pendingRecord, await signedRecord(pair.privateJwk, head)]);

        const ledger = await setup.migrateRest();
        const kinds = (await client.query<{ relname: string; relkind: string }>(`select relname, relkind from pg_class where relname in ('entries', 'entry_leaves', 'block_tree_tiles', 'entries_0', 'entry_leaves_0', 'block_tree_tiles_0') order by relname`)).rows;
        assert.deepEqual(
          kinds.map((k) => [k.relname, k.relkind]),
          [["block_tree_tiles", "p"], ["block_tree_tiles_0", "r"], ["entries", "p"], ["entries_0", "r"], ["entry_leaves", "p"], ["entry_leaves_0", "r"]],
          "each table is partitioned, with the old table as its first partition",
        );
        const [{ n: inFirst }] = (await client.query<{ n: number }>(`select count(*)::int as n from entries_0`)).rows;
        assert.equal(inFirst, 53, "every entry stayed where it was");

        await assertProofs(ledger, proofs);
        const listed = await listBlockEntries(ledger, 1, { limit: 1000 });
        assert.deepEqual(listed.entries, leafOrder.map((entryHash, leafIndex) => ({ entryHash, leafIndex })), "block 1 lists its entries in leaf order");
        // Replays of a sealed record's id and of a pending record are refused, as before.
        const { payload } = decodeRecord(firstRecord);
        for (const replay of [await signedRecord(pair.privateJwk, head, { id: payload.id }), pendingRecord]) {
          const [again] = await submitRecords(ledger, [replay]);
          assert.equal(again.ok, false);
          if (!again.ok) assert.equal(again.error.code, "duplicate_record");
        }

        const fresh = await submitRecords(ledger, [await signedRecord(pair.privateJwk, head)]);
        const block3 = await sealPendingEntries(ledger);
        assert.equal(block3?.entryCount, 3);
        const newEntry = fresh[0].ok ? fresh[0].entryHash : assert.fail(JSON.stringify(fresh[0]));
        const [{ partition }] = (await client.query<{ partition: string }>(`select tableoid::regclass::text as partition from entries where entry_hash = decode($1, 'hex')`, [newEntry.slice(2)])).rows;
        assert.notEqual(partition, "entries_0", "an entry accepted after the migration goes into a new partition");
        assert.equal((await proofForEntry(ledger, newEntry)).status, "sealed");
        const report = await auditLedger(ledger);
        assert.deepEqual(report.findings, []);
        assert.deepEqual(report.checked, { blocks: 3, entries: 54, pending: 0 });
      } finally {
        await setup.dispose();
      }
    });
  });
}

describe("migrating a ledger written before the compact rows (0010_compact_rows)", () => {
  it("keeps every JWS byte for byte and every signer, proofs and block lists, refuses replays, seals on, and the audit agrees", async () => {
    const setup = await ledgerBefore("0010_compact_rows", "compact-rows-migration");
    const { client, pair } = setup;
    try {
      // A second signer, registered after the first, so that signer numbers are not all 1.
      const second = await newKeyPair("ES256");
      const secondKid = await calculateJwkThumbprint(second.publicJwk);
      await client.query(`insert into signers (kid, alg, public_jwk, label, valid_from) values ($1, 'ES256', $2, 'second', now() - interval '1 minute')`, [
        secondKid,
        JSON.stringify(second.publicJwk),
      ]);
      // Two blocks as the code before 0010 left them, and two pending entries.
      const { head, proofs, written, leafOrder } = await sealBlocksAsBefore(setup, [70, 12], (i, prevRoot) =>
        signedRecord(i % 3 === 0 ? second.privateJwk : pair.privateJwk, prevRoot),
      );
      const replayed = await signedRecord(pair.privateJwk, head);
      const pending = [replayed, await signedRecord(second.privateJwk, head)];
      (await insertEntriesAsBefore(client, pending)).forEach((h, i) => written.set(h, pending[i]));
      const textBefore = (await client.query<{ kid: string; kind: string; jws: string }>(`select kid, kind, jws from entries order by seq`)).rows;

      const ledger = await setup.migrateRest();
      const columns = (await client.query<{ column_name: string; data_type: string }>(`select column_name, data_type from information_schema.columns where table_name = 'entries' order by ordinal_position`)).rows;
      assert.deepEqual(
        columns.map((c) => `${c.column_name} ${c.data_type}`),
        // In the order of the row's slots, chosen for the least padding (see the migration).
        ["seq bigint", "entry_hash bytea", "record_id uuid", "prev_root bytea", "signer_id integer", "jws bytea", "accepted_at timestamp with time zone"],
      );
      // Every JWS comes back exactly, through the schema (TypeScript) and through SQL, and names its signer.
      const rows = await ledger.db.select().from(schema.entries).orderBy(schema.entries.seq);
      assert.equal(rows.length, written.size);
      for (const row of rows) assert.equal(row.jws, written.get(row.entryHash), `JWS of ${row.entryHash}`);
      const inSql = (await client.query<{ kid: string; jws: string; stored: number }>(
        `select s.kid, sealbook_unpack_jws(e.jws) as jws, length(e.jws) as stored from entries e join signers s on s.id = e.signer_id order by e.seq`,
      )).rows;
      assert.deepEqual(inSql.map((r) => [r.kid, r.jws]), textBefore.map((r) => [r.kid, r.jws]));
      for (const r of inSql) assert.ok(r.stored < r.jws.length * 0.77, `${r.stored} stored bytes for ${r.jws.length} characters`);

      // A record accepted after the migration is stored the new way, beside the migrated ones.
      const [fresh] = await submitRecords(ledger, [await signedRecord(second.privateJwk, head)]);
      assert.equal(fresh.ok, true, JSON.stringify(fresh));
      await assertLedgerStillWorks(ledger, { proofs, leafOrder, replayed, block3: 3, entries: 85 });
    } finally {
      await setup.dispose();
    }
  });
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`migrating a ${driver} ledger written before the entry keys (0011_entry_keys)`, { skip: skip ?? false }, () => {
    it("gives every entry its keys, archived ones too, finds entries through them, keeps proofs, refuses replays, seals on, and the audit agrees", async () => {
      const setup = driver === "pglite" ? await ledgerBefore("0011_entry_keys", "entry-keys-migration") : await postgresLedgerBefore("0011_entry_keys", "entry-keys-migration");
      const { client, pair, ledger: before } = setup;
      try {
        // Two blocks and a pending entry, written by today's ingest and seal (neither uses the keys).
        const blocks: Hash[][] = [];
        for (const size of [30, 7]) {
          const { root } = await readHead(before.db, before.genesisRoot);
          const accepted = await submitRecords(before, await Promise.all(Array.from({ length: size }, () => signedRecord(pair.privateJwk, root))));
          blocks.push(accepted.map((r) => (r.ok ? r.entryHash : assert.fail(JSON.stringify(r)))));
          assert.equal((await sealPendingEntries(before))?.entryCount, size);
        }
        const head = await readHead(before.db, before.genesisRoot);
        const pendingRecord = await signedRecord(pair.privateJwk, head.root);
        const [pending] = await submitRecords(before, [pendingRecord]);
        assert.equal(pending.ok, true);
        // Two entries archived before the migration: only their record ids' claims stay, one with its
        // partition kept in sealbook_archive (naming block 1's root, so in block 2), one whose partition was dropped.
        const kept = bytesToHex(randomBytes(32));
        const dropped = bytesToHex(randomBytes(32));
        await client.query(`insert into entry_record_ids (record_id, seq) values (gen_random_uuid(), 900001), (gen_random_uuid(), 900002)`);
        await client.query(`create schema if not exists sealbook_archive`);
        await client.query(`create table sealbook_archive.entries_9 (seq bigint, entry_hash bytea, prev_root bytea)`);
        await client.query(`insert into sealbook_archive.entries_9 values (900001, decode($1, 'hex'), (select root from blocks where height = 1))`, [kept.slice(2)]);

        const ledger = await setup.migrateRest();
        const tables = (await client.query<{ relname: string }>(`select relname from pg_class where relname in ('entry_keys', 'entry_record_ids', 'entries_entry_hash_idx', 'entry_keys_hash_key_idx') order by relname`)).rows;
        assert.deepEqual(tables.map((t) => t.relname), ["entry_keys", "entry_keys_hash_key_idx"], "the keys replace the claims and the partitioned hash index");
        const keys = (await client.query<{ seq: string; matches: boolean; height: number | null; hashed: boolean }>(
          `select k.seq::text as seq, k.hash_key = sealbook_root_key(e.entry_hash) as matches, k.height, k.hash_key is not null as hashed
           from entry_keys k left join entries e on e.seq = k.seq order by k.seq`,
        )).rows;
        assert.equal(keys.length, 30 + 7 + 1 + 2);
        const live = keys.filter((k) => Number(k.seq) < 900001);
        assert.deepEqual(live.map((k) => [k.matches, k.height]), [...Array(30).fill([true, 1]), ...Array(7).fill([true, 2]), [true, 3]]);
        assert.deepEqual(keys.filter((k) => Number(k.seq) >= 900001).map((k) => [k.seq, k.hashed, k.height]), [["900001", true, 2], ["900002", false, null]]);
        const [{ archivedKeyed }] = (await client.query<{ archivedKeyed: boolean }>(`select hash_key = sealbook_root_key(decode($1, 'hex')) as "archivedKeyed" from entry_keys where seq = 900001`, [kept.slice(2)])).rows;
        assert.equal(archivedKeyed, true, "the kept archived partition gave its entry's hash key");

        // Proofs, found through the keys, are the tree's.
        for (const entries of blocks) {
          const reference = StandardMerkleTree.of(entries.map((h) => [h]), ["bytes32"]);
          for (const [index, [entryHash]] of reference.entries()) {
            const answer = await proofForEntry(ledger, entryHash as Hash);
            if (answer.status !== "sealed") assert.fail(`proof of ${entryHash}: ${answer.status}`);
            assert.equal(answer.bundle.block.root, reference.root);
            assert.deepEqual(answer.bundle.proof, reference.getProof(index), `leaf ${index}`);
          }
        }
        assert.equal((await proofForEntry(ledger, pending.ok ? pending.entryHash : assert.fail())).status, "pending");
        const [again] = await submitRecords(ledger, [pendingRecord]);
        assert.equal(again.ok ? "accepted" : again.error.code, "duplicate_record");
        const [fresh] = await submitRecords(ledger, [await signedRecord(pair.privateJwk, head.root)]);
        assert.equal((await sealPendingEntries(ledger))?.entryCount, 2);
        assert.equal((await proofForEntry(ledger, fresh.ok ? fresh.entryHash : assert.fail())).status, "sealed");
        const report = await auditLedger(ledger);
        assert.deepEqual(report.findings, []);
        assert.deepEqual(report.checked, { blocks: 3, entries: 39, pending: 0 });

        // The archived entries' positions: through the key's height, or, for the one without a hash
        // key, through the leaf positions of every archived block (as before 0011).
        await client.query(`insert into entry_leaves (entry_hash, block_height, leaf_index) values (decode($1, 'hex'), 2, 99), (decode($2, 'hex'), 1, 99)`, [kept.slice(2), dropped.slice(2)]);
        await client.query(`insert into ledger_archive (below, partitions) values (3, '{entries_9}')`);
        assert.deepEqual(await archivedEntryPosition(ledger.db, kept, await entryKeysOf(ledger.db, hashToBytes(kept))), { height: 2, leafIndex: 99 });
        assert.deepEqual(await archivedEntryPosition(ledger.db, dropped, []), { height: 1, leafIndex: 99 });
        assert.equal(await archivedEntryPosition(ledger.db, bytesToHex(randomBytes(32)), []), null);
      } finally {
        await setup.dispose();
      }
    });
  });
}
