/**
 * The console's Evidence routes: the preview says what a bundle will hold, the download is a
 * well-formed evidence bundle with the right media type, every bundle made is in the admin log
 * (who, selection, when), and an operator and an auditor may make one. Anchors are written
 * directly here (no chain); the chain side is in test/chain/evidence.test.ts.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as evidenceRoute from "../../app/api/v1/admin/evidence/route";
import * as planRoute from "../../app/api/v1/admin/evidence/plan/route";
import { listAdminLog } from "../../lib/admin/admin-log";
import { sql } from "../../db/client";
import { registerSigner } from "../../lib/ledger/signers/signers";
import { submitRecords } from "../../lib/ledger/ingest";
import { readHead } from "../../lib/ledger/head";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { parseEvidenceBundle } from "../../lib/protocol/evidence";
import type { Hash } from "../../lib/protocol/hex";
import { drivers, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";
import { adminEnv, call, type AdminEnv } from "./support/admin-env";

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`the console's Evidence routes on ${driver}`, { skip: skip ?? false }, () => {
    let env: AdminEnv;
    const hashes: Hash[] = [];
    before(async () => {
      env = await adminEnv(driver);
      const keys = await newKeyPair("EdDSA");
      await registerSigner(env.ledger, { publicJwk: keys.publicJwk, label: "clinic", validFrom: new Date(env.clock.now().getTime() - 60_000) });
      for (let block = 0; block < 3; block++) {
        const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
        const results = await submitRecords(env.ledger, [await signedRecord(keys.privateJwk, head.root), await signedRecord(keys.privateJwk, head.root)]);
        for (const r of results) if (r.ok) hashes.push(r.entryHash);
        await sealPendingEntries(env.ledger);
      }
      for (const height of [1, 2]) {
        await env.db.db.execute(
          sql`insert into anchors (height, status, chain_id, registry, tx_hash, chain_block_number) values (${height}, 'confirmed', 31337, ${"0x5FbDB2315678afecb367f032d93F642f64180aa3"}, ${`0x${String(height).repeat(64)}`}, ${height + 1})`,
        );
      }
    });
    after(async () => env?.dispose());

    const body = () => ({ selection: { by: "entries", entryHashes: hashes }, public: false });

    it("previews the records found, those left out, and the blocks up to the anchor", async () => {
      const response = await call(planRoute.POST, "POST", "/api/v1/admin/evidence/plan", { cookie: await env.cookieFor("auditor"), body: body() });
      assert.equal(response.status, 200);
      const preview = (await response.json()) as Record<string, unknown>;
      assert.deepEqual([preview.found, preview.included, preview.unanchored, preview.lowestHeight, preview.anchorHeight, preview.blockCount], [6, 4, 2, 1, 2, 2]);
    });

    it("downloads the bundle as application/vnd.sealbook.evidence+json and writes who made it, for what, to the admin log", async () => {
      const response = await call(evidenceRoute.POST, "POST", "/api/v1/admin/evidence", { cookie: await env.cookieFor("operator"), body: body() });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "application/vnd.sealbook.evidence+json");
      assert.match(response.headers.get("content-disposition") ?? "", /filename="evidence-admin-test-.*\.sealbook\.json"/);
      const bundle = parseEvidenceBundle(await response.json());
      assert.equal(bundle.items.length, 4);
      assert.ok(bundle.items.every((i) => i.jws && i.receipt === null), "with the JWS; no receipts without a chain");
      assert.deepEqual(bundle.blocks.map((b) => b.height), [1, 2]);
      const [entry] = (await listAdminLog(env.db.db, { limit: 5 })).filter((e) => e.action === "evidence");
      assert.ok(entry, "the bundle is in the admin log");
      assert.equal(entry.email, env.emails.operator);
      assert.equal(entry.outcome, "ok");
      assert.deepEqual((entry.details as { selection: { by: string; count: number } }).selection.count, 6);
      assert.equal((entry.details as { included: number }).included, 4);
    });

    it("refuses a malformed selection with invalid_request and logs nothing", async () => {
      const cookie = await env.cookieFor("admin");
      const before = (await listAdminLog(env.db.db, { limit: 50 })).length;
      const response = await call(evidenceRoute.POST, "POST", "/api/v1/admin/evidence", { cookie, body: { selection: { by: "entries", entryHashes: ["0x12"] } } });
      assert.equal(response.status, 400);
      assert.equal(((await response.json()) as { code: string }).code, "invalid_request");
      assert.equal((await listAdminLog(env.db.db, { limit: 50 })).length, before);
    });
  });
}
