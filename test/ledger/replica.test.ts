/**
 * Read replicas on a real streaming replica (a hot standby of the test server, made with
 * pg_createcluster and pg_basebackup): public reads are served by the replica, an entry sealed a
 * moment ago is never reported unknown while the replica lags, each replica's lag is reported, and
 * a stopped replica degrades to the primary with a logged warning.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openDatabase, type DatabaseHandle } from "../../db/client";
import { proofResponse } from "../../lib/http/proof-response";
import { readConfig } from "../../lib/config";
import { hasDerivedData } from "../../lib/ledger/derived";
import { getReplicasHealth } from "../../lib/ledger/health";
import { proofForEntry } from "../../lib/ledger/proofs";
import { getBlock, listBlockEntries } from "../../lib/ledger/reads";
import { createReadRouting, type ReadCounts, type ReadRouting } from "../../lib/ledger/replicas";
import { getRuntime, installRuntime } from "../../lib/server/runtime";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";
import { eventually, replicaOrSkip, type TestReplica } from "../support/replica";

const replica = await replicaOrSkip("the read-replica tests");

describe("public reads from a streaming replica", { skip: typeof replica === "string" ? replica : false }, () => {
  const standby = replica as TestReplica;
  let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
  let replicaHandle: DatabaseHandle;
  let routing: ReadRouting;
  const counts: ReadCounts = { replica: 0, primaryForMissing: 0, primaryForFailure: 0 };
  const warnings: string[] = [];

  before(async () => {
    env = await ledgerWithSigner("postgres", "replica-test");
    await addSealedBlock(env.ledger, env.privateJwk, 3);
    replicaHandle = await openDatabase({ url: standby.urlFor(env.db.url!), readOnly: true, maxConnections: 2 });
    routing = createReadRouting(env.ledger, [replicaHandle], (message) => warnings.push(message), counts);
    const onReplica = { ...env.ledger, db: replicaHandle.db };
    // The standby replays the whole server's WAL, other databases' included: on a busy shared server that takes a while.
    // Wait for block 1's leaf positions too: they are written after the seal, and the proof needs them.
    await eventually(async () => (await getBlock(onReplica, 1).catch(() => null)) !== null && (await hasDerivedData(onReplica.db, 1).catch(() => false)), 120_000, "the replica to replay block 1");
  });

  after(async () => {
    await routing?.close();
    await env?.db.dispose();
    await standby.drop();
  });

  it("serves blocks, entries and proofs from the replica, through the API's proof handler too", async () => {
    const before = counts.replica;
    const block = await routing.read((l) => getBlock(l, 1), (b) => b !== null);
    assert.equal(block?.entryCount, 3);
    const [entry] = (await routing.read((l) => listBlockEntries(l, 1))).entries;
    const proof = await routing.read((l) => proofForEntry(l, entry.entryHash), (a) => a.status === "sealed");
    assert.equal(proof.status, "sealed");
    assert.equal(counts.replica, before + 3, "all three answered by the replica");

    installRuntime({ config: readConfig({ DATABASE_URL: env.db.url, LEDGER_ID: "replica-test" }), handle: env.db, ledger: env.ledger, reads: routing });
    const response = await proofResponse(getRuntime, entry.entryHash);
    assert.equal(response.status, 200);
    assert.equal(counts.replica, before + 4);
  });

  it("never reports an entry sealed a moment ago as unknown while the replica lags, and reports the lag", async () => {
    await standby.pauseReplay();
    try {
      const block = await addSealedBlock(env.ledger, env.privateJwk, 2);
      const [entry] = (await listBlockEntries(env.ledger, block.height)).entries;
      const missing = counts.primaryForMissing;
      const proof = await routing.read((l) => proofForEntry(l, entry.entryHash), (a) => a.status === "sealed");
      assert.equal(proof.status, "sealed");
      assert.equal(proof.status === "sealed" && proof.bundle.block.height, block.height);
      assert.notEqual(await routing.read((l) => getBlock(l, block.height), (b) => b !== null), null);
      assert.equal(counts.primaryForMissing, missing + 2, "the replica lacked both; the primary answered");
      const [lag] = await routing.lags();
      assert.ok(lag.lagSeconds !== null && lag.lagSeconds > 0, `a paused replica lags (${JSON.stringify(lag)})`);
    } finally {
      await standby.resumeReplay();
    }
    await eventually(async () => (await routing.lags())[0].lagSeconds === 0);
    const health = await getReplicasHealth(routing);
    assert.equal(health.status, "ok", health.message);
  });

  it("degrades to the primary with a logged warning when the replica stops", async () => {
    await standby.stop();
    try {
      const block = await routing.read((l) => getBlock(l, 1), (b) => b !== null);
      assert.equal(block?.height, 1);
      assert.equal(counts.primaryForFailure, 1);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /read replica .* failed; reading from the primary/);
      const health = await getReplicasHealth(routing);
      assert.equal(health.status, "warn");
      assert.equal(health.replicas[0].lagSeconds, null);
      assert.match(health.message, /do(es)? not answer; public reads go to the primary/);
    } finally {
      await standby.start();
    }
  });
});
