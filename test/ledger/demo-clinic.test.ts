/**
 * The living demo: on a demo ledger the DEMO clinic keeps submitting signed records through the
 * normal ingest, they get sealed, a stale root is signed again, and it stays off with SEALBOOK_DEMO=0,
 * on a ledger that was never seeded, and once its key is revoked.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { readConfig } from "../../lib/config";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { seedDemoLedger } from "../../lib/ledger/demo";
import { DEMO_CLINIC, DEMO_CLINIC_KEY_FILE, isDemoLedger, openDemoClinic, startLivingDemo, submitDemoRecords } from "../../lib/ledger/demo-clinic";
import { readHead } from "../../lib/ledger/head";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { getSigner, revokeSigner } from "../../lib/ledger/signers/signers";
import { drivers, freshDatabase, skipReason } from "../support/db";

describe("the living demo's settings", () => {
  it("is on by default with the embedded demo, every 5 seconds, and off with SEALBOOK_DEMO=0", () => {
    const embedded = readConfig({});
    assert.equal(embedded.demo, true);
    assert.equal(embedded.DEMO_CLINIC_INTERVAL_SECONDS, 5);
    assert.equal(readConfig({ SEALBOOK_DEMO: "0" }).demo, false);
    assert.equal(readConfig({ DEMO_CLINIC_INTERVAL_SECONDS: "0" }).DEMO_CLINIC_INTERVAL_SECONDS, 0);
    assert.throws(() => readConfig({ DEMO_CLINIC_INTERVAL_SECONDS: "-1" }), /DEMO_CLINIC_INTERVAL_SECONDS/);
  });
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`the living demo clinic on ${driver}`, { skip: skip ?? false }, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let ledger: LedgerContext;
    let keyDir: string;
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);

    const count = async (query: ReturnType<typeof sql>) => Number((await queryRows<{ n: string | number }>(ledger.db, query))[0].n);
    const clinicEntries = (kid: string) => count(sql`select count(*) as n from entries where signer_id = sealbook_signer_id(${kid})`);
    const pending = () => count(sql`select count(*) as n from entries e where not exists (select 1 from entry_leaves l where l.entry_hash = e.entry_hash)`);

    before(async () => {
      db = await freshDatabase(driver);
      ledger = await openLedger(db, "demo-clinic-test");
      keyDir = await mkdtemp(path.join(tmpdir(), "sealbook-demo-clinic-"));
      await seedDemoLedger(ledger, { keyDir, blocks: 1, perBlock: 3 });
    });
    after(async () => {
      await db?.dispose();
      if (keyDir) await rm(keyDir, { recursive: true, force: true });
    });

    it("submits signed records that get sealed, as a clearly labelled DEMO signer, until stopped", async () => {
      const loop = await startLivingDemo(ledger, { enabled: true, intervalSeconds: 0.05, keyDir }, log);
      assert.ok(loop, `the clinic should start on a demo ledger; it said: ${lines.join(" | ")}`);
      const clinic = (await openDemoClinic(ledger, keyDir))!;
      const deadline = Date.now() + 60_000;
      while ((await clinicEntries(clinic.kid)) < 5) {
        assert.ok(Date.now() < deadline, "the clinic submitted fewer than 5 records within a minute");
        await new Promise((r) => setTimeout(r, 50));
      }
      await loop.stop();
      const submitted = await clinicEntries(clinic.kid);
      const block = await sealPendingEntries(ledger);
      assert.ok(block && block.entryCount >= submitted, "the clinic's records are sealed into the next block");
      assert.equal(await pending(), 0);
      const signer = await getSigner(ledger, clinic.kid);
      assert.equal(signer?.label, DEMO_CLINIC.label);
      assert.match(signer!.label, /^DEMO: /);
      assert.equal((await stat(path.join(keyDir, DEMO_CLINIC_KEY_FILE))).mode & 0o777, 0o600);
      // Stopped means stopped: a few more intervals bring nothing.
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(await clinicEntries(clinic.kid), submitted);
    });

    it("keeps its key across restarts", async () => {
      const first = await openDemoClinic(ledger, keyDir);
      const again = await openDemoClinic(ledger, keyDir);
      assert.equal(again?.kid, first?.kid);
    });

    it("signs a record again against the new root when a seal made its root stale", async () => {
      const clinic = (await openDemoClinic(ledger, keyDir))!;
      await submitDemoRecords(ledger, clinic, 1);
      let sealed = false;
      const accepted = await submitDemoRecords(ledger, clinic, 3, {
        afterSigning: async () => {
          if (sealed) return;
          sealed = true;
          assert.ok(await sealPendingEntries(ledger), "a block is sealed between signing and submitting");
        },
      });
      assert.equal(accepted, 3);
      const head = await readHead(ledger.db, ledger.genesisRoot);
      assert.equal(await count(sql`select count(*) as n from entries where prev_root = ${Buffer.from(head.root.slice(2), "hex")}`), 3);
    });

    it("does not start with SEALBOOK_DEMO=0, with an interval of 0, or on a ledger never seeded", async () => {
      const off = readConfig({ SEALBOOK_DEMO: "0" });
      assert.equal(await startLivingDemo(ledger, { enabled: off.demo, intervalSeconds: off.DEMO_CLINIC_INTERVAL_SECONDS, keyDir }, log), null);
      assert.equal(await startLivingDemo(ledger, { enabled: true, intervalSeconds: 0, keyDir }, log), null);
      const real = await freshDatabase(driver);
      try {
        const realLedger = await openLedger(real, "not-a-demo");
        const realKeys = await mkdtemp(path.join(tmpdir(), "sealbook-demo-clinic-real-"));
        assert.equal(await isDemoLedger(realLedger), false);
        assert.equal(await startLivingDemo(realLedger, { enabled: true, intervalSeconds: 0.05, keyDir: realKeys }, log), null);
        assert.equal(existsSync(path.join(realKeys, DEMO_CLINIC_KEY_FILE)), false, "no clinic key is made for a ledger that is not a demo");
        assert.equal(Number((await queryRows<{ n: string | number }>(real.db, sql`select count(*) as n from signers`))[0].n), 0);
        await rm(realKeys, { recursive: true, force: true });
      } finally {
        await real.dispose();
      }
    });

    it("stays off once an operator revoked its key", async () => {
      const clinic = (await openDemoClinic(ledger, keyDir))!;
      await revokeSigner(ledger, clinic.kid, { reason: "test: the demo is over" });
      lines.length = 0;
      assert.equal(await startLivingDemo(ledger, { enabled: true, intervalSeconds: 0.05, keyDir }, log), null);
      assert.match(lines.join("\n"), /key is revoked/);
    });
  });
}
