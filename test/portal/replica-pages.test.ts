/**
 * The portal's pages on a real streaming replica (test/support/replica.ts): their data is read from
 * the replica once it has caught up; while its replay is paused, an entry sealed a moment ago is
 * never shown as unknown or pending, a new block is never a 404, and the home page, the block list,
 * the feed and the API's block list still reach the primary's head; a stopped replica degrades to
 * the primary with a logged warning.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as blocksRoute from "../../app/api/v1/blocks/route";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { readConfig } from "../../lib/config";
import { hasDerivedData } from "../../lib/ledger/derived";
import { readHead } from "../../lib/ledger/head";
import { submitRecords } from "../../lib/ledger/ingest";
import { getEntryStatus, listBlockEntries } from "../../lib/ledger/reads";
import { readBlockWithLeaves } from "../../lib/ledger/replica-reads";
import { createReadRouting, type ReadCounts, type ReadRouting } from "../../lib/ledger/replicas";
import type { Runtime } from "../../lib/ledger/runtime";
import { readBlockList, readBlockPage, readEntryPage, readFeedBlocks, readHomePage, readSigners, searchLedger } from "../../lib/portal/page-reads";
import { installRuntime } from "../../lib/server/runtime";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";
import { eventually, replicaOrSkip, type TestReplica } from "../support/replica";

const replica = await replicaOrSkip("the portal's read-replica tests");

describe("the portal's pages on a streaming replica", { skip: typeof replica === "string" ? replica : false }, () => {
  const standby = replica as TestReplica;
  let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
  let replicaHandle: DatabaseHandle;
  let routing: ReadRouting;
  let runtime: Runtime;
  const counts: ReadCounts = { replica: 0, primaryForMissing: 0, primaryForFailure: 0 };
  const warnings: string[] = [];

  before(async () => {
    env = await ledgerWithSigner("postgres", "replica-pages");
    await addSealedBlock(env.ledger, env.privateJwk, 3);
    replicaHandle = await openDatabase({ url: standby.urlFor(env.db.url!), readOnly: true, maxConnections: 2 });
    routing = createReadRouting(env.ledger, [replicaHandle], (message) => warnings.push(message), counts);
    runtime = { config: readConfig({ DATABASE_URL: env.db.url, LEDGER_ID: "replica-pages" }), handle: env.db, ledger: env.ledger, reads: routing };
    installRuntime(runtime);
    // The standby replays the whole shared server's WAL: wait for block 1's leaf positions, written after its seal.
    await eventually(async () => (await hasDerivedData(replicaHandle.db, 1).catch(() => false)), 120_000, "the replica to replay block 1");
  });

  after(async () => {
    await routing?.close();
    await env?.db.dispose();
    await standby.drop();
  });

  it("reads every page's data from the replica once it has the primary's head", async () => {
    const [entry] = (await listBlockEntries(env.ledger, 1)).entries;
    const before = counts.replica;

    const home = await readHomePage(runtime, { latest: 8, activity: 30 });
    assert.equal(home.status.head.height, 1);
    assert.deepEqual(home.latest.map((b) => b.height), [1]);
    assert.equal(home.activity[0].entryCount, 3);
    assert.equal((await readBlockList(runtime, { limit: 25 })).blocks[0].height, 1);
    assert.equal((await readFeedBlocks(runtime, 50)).blocks[0].entryCount, 3);
    const blockPage = await readBlockPage(runtime, 1);
    assert.equal(blockPage.block?.entryCount, 3);
    assert.equal(blockPage.next, null);
    assert.equal(blockPage.ledger.db, replicaHandle.db, "the block page lists its entries from the replica");
    assert.equal((await readBlockWithLeaves(runtime, 1)).ledger.db, replicaHandle.db, "the entry pages too");
    const entryPage = await readEntryPage(runtime, entry.entryHash);
    assert.equal(entryPage.status?.status, "sealed");
    assert.equal(entryPage.block?.height, 1);
    assert.deepEqual(await searchLedger(runtime, entry.entryHash), { found: true, href: `/entries/${entry.entryHash}` });
    assert.deepEqual(await searchLedger(runtime, "block 1"), { found: true, href: "/blocks/1" });
    assert.equal((await readSigners(runtime))[0].kid, env.kid);

    assert.equal(counts.replica - before, 9, "all nine reads answered by the replica");
    assert.equal(counts.primaryForMissing, 0);
  });

  it("never shows an entry sealed while the replica lags as unknown, nor hides a new block or the primary's head", async () => {
    await standby.pauseReplay();
    try {
      const block = await addSealedBlock(env.ledger, env.privateJwk, 2);
      const [sealed] = (await listBlockEntries(env.ledger, block.height)).entries;
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      const [pending] = await submitRecords(env.ledger, [await signedRecord(env.privateJwk, head.root)]);
      assert.ok(pending.ok, JSON.stringify(pending));
      const onReplica = { ...env.ledger, db: replicaHandle.db };
      assert.equal(await getEntryStatus(onReplica, sealed.entryHash), null, "the paused replica does not know the entry: the lag is real");
      const missing = counts.primaryForMissing;

      const entryPage = await readEntryPage(runtime, sealed.entryHash);
      assert.equal(entryPage.status?.status, "sealed");
      assert.equal(entryPage.block?.height, block.height);
      assert.equal((await readEntryPage(runtime, pending.entryHash)).status?.status, "pending", "an entry accepted a moment ago is pending, not unknown");
      assert.deepEqual(await searchLedger(runtime, sealed.entryHash), { found: true, href: `/entries/${sealed.entryHash}` });
      assert.deepEqual(await searchLedger(runtime, String(block.height)), { found: true, href: `/blocks/${block.height}` });
      const blockPage = await readBlockPage(runtime, block.height);
      assert.equal(blockPage.block?.root, block.root);
      assert.equal(blockPage.ledger.db, env.ledger.db, "the new block's entries are listed from the primary");
      assert.equal((await readBlockWithLeaves(runtime, block.height)).block?.height, block.height);

      const home = await readHomePage(runtime, { latest: 8, activity: 30 });
      assert.equal(home.status.head.height, block.height, "the home page shows the primary's head");
      assert.equal(home.status.pendingCount, 1);
      assert.equal((await readBlockList(runtime, { limit: 25 })).blocks[0].height, block.height);
      assert.equal((await readFeedBlocks(runtime, 50)).blocks[0].height, block.height);
      const api = (await (await blocksRoute.GET(new Request("http://portal.test/api/v1/blocks"))).json()) as { blocks: Array<{ height: number }> };
      assert.equal(api.blocks[0].height, block.height, "the API's block list reaches the head a watchdog reads from /api/v1/ledger");

      assert.equal(counts.primaryForMissing - missing, 10, "the replica lacked all ten; the primary answered");
    } finally {
      await standby.resumeReplay();
    }
  });

  it("degrades to the primary with a logged warning when the replica stops", async () => {
    await standby.stop();
    try {
      const [entry] = (await listBlockEntries(env.ledger, 1)).entries;
      const entryPage = await readEntryPage(runtime, entry.entryHash);
      assert.equal(entryPage.status?.status, "sealed");
      const home = await readHomePage(runtime, { latest: 8, activity: 30 });
      assert.equal(home.status.head.height, 2);
      assert.equal(counts.primaryForFailure, 1, "the replica was tried once, then left out");
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /read replica .* failed; reading from the primary/);
    } finally {
      await standby.start();
    }
  });
});
