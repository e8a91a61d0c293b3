import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { openDatabase, queryRows } from "../../db/client";
import { auditLedger } from "../../lib/ledger/audit";
import { openLedger } from "../../lib/ledger/context";
import { readHead } from "../../lib/ledger/head";
import { submitRecord } from "../../lib/ledger/ingest-batcher";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { ProtocolError } from "../../lib/protocol/errors";
import { bytesToHex, type Hash } from "../../lib/protocol/hex";
import { drivers, skipReason } from "../support/db";
import { ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";

const SUBMITTERS = 24;
const RECORDS_EACH = 12;

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`nothing accepted is lost under concurrency on ${driver}`, { skip: skip ?? false }, () => {
    let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
    before(async () => {
      env = await ledgerWithSigner(driver);
    });
    after(async () => env?.db.dispose());

    it(`seals every accepted record exactly once while ${SUBMITTERS} submitters race a sealer running every 150 ms`, async () => {
      const { ledger, privateJwk } = env;
      const accepted: Hash[] = [];
      let stale = 0;
      let sealing = true;
      const sealer = (async () => {
        let blocks = 0;
        while (sealing) {
          if (await sealPendingEntries(ledger)) blocks++;
          await new Promise((r) => setTimeout(r, 150));
        }
        return blocks;
      })();
      const submitter = async () => {
        for (let i = 0; i < RECORDS_EACH; i++) {
          // A real client: sign against the head it sees, and sign again if the head moved on.
          for (;;) {
            const head = await readHead(ledger.db, ledger.genesisRoot);
            try {
              const { entryHash } = await submitRecord(ledger, await signedRecord(privateJwk, head.root));
              accepted.push(entryHash);
              break;
            } catch (error) {
              if (!(error instanceof ProtocolError) || error.code !== "stale_prev_root") throw error;
              stale++;
            }
          }
        }
      };
      await Promise.all(Array.from({ length: SUBMITTERS }, submitter));
      sealing = false;
      const blocksDuringRun = await sealer;
      await sealPendingEntries(ledger);

      assert.equal(accepted.length, SUBMITTERS * RECORDS_EACH);
      const rows = await queryRows<{ entry_hash: Uint8Array; block_height: number | null }>(ledger.db, sql`select e.entry_hash, l.block_height from entries e left join entry_leaves l on l.entry_hash = e.entry_hash`);
      const sealedIn = new Map(rows.map((r) => [bytesToHex(r.entry_hash), r.block_height]));
      assert.equal(rows.length, accepted.length, "exactly the accepted records are stored");
      for (const entryHash of accepted) assert.ok(sealedIn.get(entryHash), `accepted entry ${entryHash} is in no block`);
      const [{ total }] = await queryRows<{ total: string }>(ledger.db, sql`select sum(entry_count) as total from blocks`);
      assert.equal(Number(total), accepted.length, "each accepted record is in exactly one block");
      const report = await auditLedger(ledger);
      assert.deepEqual(report.findings, []);
      console.log(`# ${accepted.length} records in ${(await readHead(ledger.db, ledger.genesisRoot)).height} blocks (${blocksDuringRun} sealed during the race); ${stale} stale submissions were signed again`);
    });

    it("lets only one of two concurrent sealers make a block", async () => {
      const { ledger, privateJwk } = env;
      const head = await readHead(ledger.db, ledger.genesisRoot);
      for (let i = 0; i < 5; i++) await submitRecord(ledger, await signedRecord(privateJwk, head.root));
      // A second, independent connection pool plays the second sealer process (PostgreSQL);
      // PGlite has one connection, so there the two calls race on the same instance.
      const second = env.db.url ? await openDatabase({ url: env.db.url, maxConnections: 2 }) : null;
      const otherLedger = second ? await openLedger(second, ledger.ledgerId) : ledger;
      try {
        const results = await Promise.all([sealPendingEntries(ledger), sealPendingEntries(otherLedger)]);
        assert.equal(results.filter(Boolean).length, 1, "exactly one block");
        assert.equal(results.find(Boolean)!.entryCount, 5);
        assert.equal(await sealPendingEntries(ledger), null, "nothing pending means no block");
      } finally {
        await second?.close();
      }
    });
  });
}
