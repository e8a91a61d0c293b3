/** What a verification certificate states: pending, sealed without an anchor yet, and never accepted. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { submitRecords } from "../../lib/ledger/ingest";
import { readHead } from "../../lib/ledger/head";
import { listBlockEntries } from "../../lib/ledger/reads";
import { readCertificateFacts } from "../../lib/portal/certificate";
import { entryHashOf } from "../../lib/protocol/hash";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";

describe("the facts of a verification certificate", () => {
  let env: Awaited<ReturnType<typeof ledgerWithSigner>>;

  before(async () => {
    env = await ledgerWithSigner("pglite", "certificate-test");
  });

  after(async () => {
    await env?.db.dispose();
  });

  it("says a sealed entry's block and that its anchor is still missing", async () => {
    const block = await addSealedBlock(env.ledger, env.privateJwk, 2);
    const [entry] = (await listBlockEntries(env.ledger, block.height, { limit: 1 })).entries;
    const facts = await readCertificateFacts(env.ledger, entry.entryHash);
    assert.ok(facts?.stage === "sealed", `a sealed entry without an anchor should be "sealed", not ${facts?.stage}`);
    assert.deepEqual(facts.block, { height: block.height, root: block.root, sealedAt: block.sealedAt, entryCount: 2 });
    assert.equal(facts.anchor, null);
  });

  it("says a pending entry has no block yet", async () => {
    const jws = await signedRecord(env.privateJwk, (await readHead(env.ledger.db, env.ledger.genesisRoot)).root);
    await submitRecords(env.ledger, [jws]);
    const facts = await readCertificateFacts(env.ledger, entryHashOf(jws));
    assert.equal(facts?.stage, "pending");
    assert.ok(facts && !("block" in facts));
  });

  it("has no certificate for an entry the ledger never accepted", async () => {
    assert.equal(await readCertificateFacts(env.ledger, `0x${"ef".repeat(32)}`), null);
  });
});
