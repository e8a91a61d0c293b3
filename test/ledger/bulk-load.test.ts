/**
 * The scale benchmark's bulk loader (bench/support/bulk-load.ts) builds ledgers that the product
 * cannot tell from ledgers built by ingest: the audit passes, proofs verify, and the rows it copies
 * in are the rows ingest stores for the same records.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { auditLedger } from "../../lib/ledger/audit";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { submitRecords } from "../../lib/ledger/ingest";
import { proofForEntry } from "../../lib/ledger/proofs";
import { registerSigner } from "../../lib/ledger/signers/signers";
import { bytesToHex } from "../../lib/protocol/hex";
import { verifyProof } from "../../lib/protocol/proof";
import { bulkLoadLedger, copyAcceptedRecords, registerBulkSigners, type BulkSigner } from "../../bench/support/bulk-load";
import { signManyRecords } from "../../bench/support/sign-workers";
import { drivers, freshDatabase, skipReason } from "../support/db";

const BLOCKS = 3;
const PER_BLOCK = 1_000;

/** The stored columns of every entry, in acceptance order, without the acceptance time. */
async function storedRows(ledger: LedgerContext) {
  return queryRows<{ entry_hash: Uint8Array; record_id: string; signer_id: number; prev_root: Uint8Array; jws: Uint8Array }>(
    ledger.db,
    sql`select entry_hash, record_id::text, signer_id, prev_root, jws from entries order by seq`,
  );
}

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`the bulk loader on ${driver}`, { skip: skip ?? false }, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let ledger: LedgerContext;
    let signers: BulkSigner[];

    before(async () => {
      db = await freshDatabase(driver);
      ledger = await openLedger(db, "bulk-test");
      signers = await registerBulkSigners(ledger, 2);
    });
    after(async () => db?.dispose());

    it(`loads ${BLOCKS} blocks of ${PER_BLOCK.toLocaleString("en")} records, each signed against the root before it, and the audit passes`, async () => {
      const progress: number[] = [];
      const blocks = await bulkLoadLedger(ledger, signers, { entries: BLOCKS * PER_BLOCK, blocks: BLOCKS, chunk: 400, onProgress: (p) => progress.push(p.loaded) });
      assert.deepEqual(blocks.map((b) => [b.height, b.entryCount]), [[1, PER_BLOCK], [2, PER_BLOCK], [3, PER_BLOCK]]);
      assert.equal(blocks[0].prevRoot, ledger.genesisRoot);
      assert.equal(blocks[2].prevRoot, blocks[1].root);
      assert.equal(progress.at(-1), BLOCKS * PER_BLOCK);
      const signedBy = await queryRows<{ kid: string; n: number }>(ledger.db, sql`select s.kid, count(*)::int as n from entries e join signers s on s.id = e.signer_id group by s.kid order by s.kid`);
      assert.deepEqual(signedBy.map((r) => r.kid), signers.map((s) => s.kid).sort(), "every registered signer signed some of them");

      const report = await auditLedger(ledger);
      assert.deepEqual(report.findings, []);
      assert.deepEqual(report.checked, { blocks: BLOCKS, entries: BLOCKS * PER_BLOCK, pending: 0 });
    });

    it("serves proofs for the loaded entries that verify against their block's root", async () => {
      const sample = await queryRows<{ entry_hash: Uint8Array }>(ledger.db, sql`select entry_hash from entries where seq % 497 = 1 order by seq`);
      assert.ok(sample.length >= BLOCKS, "a sample from every block");
      for (const { entry_hash } of sample) {
        const answer = await proofForEntry(ledger, bytesToHex(entry_hash));
        assert.equal(answer.status, "sealed");
        if (answer.status !== "sealed") continue;
        verifyProof(answer.bundle.block.root, answer.bundle.entryHash, answer.bundle.proof);
      }
    });

    it("copies in exactly the rows ingest stores for the same records", async () => {
      const viaIngest = await freshDatabase(driver);
      const viaCopy = await freshDatabase(driver);
      try {
        const ingested = await openLedger(viaIngest, "bulk-twin");
        const copied = await openLedger(viaCopy, "bulk-twin");
        const [signer] = signers;
        const publicJwk = { kty: "OKP", crv: "Ed25519", x: signer.privateJwk.x! };
        for (const twin of [ingested, copied]) await registerSigner(twin, { publicJwk, label: "twin signer", validFrom: new Date(Date.now() - 60_000) });
        const records = await signManyRecords(signer.privateJwk, signer.kid, ingested.genesisRoot, 300);
        const results = await submitRecords(ingested, records);
        assert.ok(results.every((r) => r.ok), "ingest accepts every record");
        await copyAcceptedRecords(copied, records, new Date());
        const [a, b] = [await storedRows(ingested), await storedRows(copied)];
        assert.equal(b.length, records.length);
        assert.deepEqual(b, a);
      } finally {
        await viaIngest.dispose();
        await viaCopy.dispose();
      }
    });
  });
}
