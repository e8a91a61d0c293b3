/**
 * The ledger's own alarms (GET /api/v1/health, getReceiptAlarms for the admin console) and the
 * JSON-lines export for mirrors, through the route handlers, on PGlite and PostgreSQL.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { installChainInfo } from "../../lib/chain/chain-info";
import { readConfig } from "../../lib/config";
import { getAnchoringHealth, getHealth } from "../../lib/chain/health";
import { getReceiptAlarms } from "../../lib/ledger/health";
import { readHead } from "../../lib/ledger/head";
import { submitRecords } from "../../lib/ledger/ingest";
import { listBlockEntries } from "../../lib/ledger/reads";
import { installRuntime } from "../../lib/server/runtime";
import { buildBlockTree } from "../../lib/protocol/merkle";
import { hashToBytes } from "../../lib/protocol/hex";
import * as exportRoute from "../../app/api/v1/export/route";
import * as healthRoute from "../../app/api/v1/health/route";
import { drivers, skipReason } from "../support/db";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";

const config = readConfig({ LEDGER_ID: "test", SEAL_INTERVAL_SECONDS: "30", SEAL_BY_MARGIN_SECONDS: "300", SEALBOOK_CHAIN: "off" });
const later = (seconds: number) => new Date(Date.now() + seconds * 1000);

async function exportLines(query = ""): Promise<Array<Record<string, unknown>>> {
  const response = await exportRoute.GET(new Request(`http://localhost/api/v1/export${query}`));
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /application\/x-ndjson/);
  const text = await response.text();
  assert.ok(text.endsWith("\n"));
  return text.trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
}

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`health and export on ${driver}`, { skip: skip ?? false }, () => {
    let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
    before(async () => {
      env = await ledgerWithSigner(driver);
      installChainInfo({ chainId: null, registry: null, rpcUrl: null });
      installRuntime({ config, handle: env.db, ledger: env.ledger });
      await addSealedBlock(env.ledger, env.privateJwk, 3);
      await addSealedBlock(env.ledger, env.privateJwk, 1);
      await addSealedBlock(env.ledger, env.privateJwk, 5);
    });
    after(async () => {
      await env?.db.dispose();
    });

    it("is ok with nothing pending, and says so over HTTP", async () => {
      const response = await healthRoute.GET();
      assert.equal(response.status, 200);
      const body = (await response.json()) as { status: string; checks: Record<string, { status: string; message: string }> };
      assert.equal(body.status, "ok");
      assert.deepEqual(Object.keys(body.checks).sort(), ["anchoring", "database", "receipts", "sealing"]);
      assert.match(body.checks.sealing.message, /No entry is waiting/);
      assert.match(body.checks.anchoring.message, /SEALBOOK_CHAIN=off/);
      assert.match(body.checks.receipts.message, /SEALBOOK_CHAIN=off/);
    });

    it("warns when a pending entry nears its sealBy, and alarms, naming it, once it is past", async () => {
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      const [accepted] = await submitRecords(env.ledger, [await signedRecord(env.privateJwk, head.root)]);
      assert.ok(accepted.ok);
      const fresh = await getReceiptAlarms(env.ledger, config);
      assert.deepEqual([fresh.status, fresh.pendingCount, fresh.nearCount, fresh.overdueCount, fresh.entries.length], ["ok", 1, 0, 0, 0]);
      assert.equal(fresh.oldestSealBy, Math.floor(accepted.acceptedAt.getTime() / 1000) + 330);

      const near = await getReceiptAlarms(env.ledger, config, later(200));
      assert.deepEqual([near.status, near.nearCount, near.overdueCount], ["warn", 1, 0]);
      assert.deepEqual(near.entries.map((e) => [e.entryHash, e.state]), [[accepted.entryHash, "near"]]);

      const past = await getReceiptAlarms(env.ledger, config, later(335));
      assert.deepEqual([past.status, past.nearCount, past.overdueCount], ["alarm", 0, 1]);
      assert.deepEqual(past.entries.map((e) => [e.entryHash, e.state]), [[accepted.entryHash, "overdue"]]);
      assert.match(past.message, /past the sealBy/);
      const health = await getHealth({ config, ledger: env.ledger }, later(335));
      assert.equal(health.status, "alarm");

      await addSealedBlock(env.ledger, env.privateJwk, 1); // seals the waiting entry too
      assert.equal((await getReceiptAlarms(env.ledger, config, later(335))).status, "ok");
    });

    it("alarms when sealed blocks wait too long for their anchor, once the chain is on", async () => {
      const chainOn = readConfig({ LEDGER_ID: "test", ANCHOR_INTERVAL_SECONDS: "30" });
      assert.equal((await getAnchoringHealth(env.ledger, chainOn)).status, "ok", "just sealed: within the expected delay");
      assert.equal((await getAnchoringHealth(env.ledger, chainOn, later(200))).status, "warn");
      const late = await getAnchoringHealth(env.ledger, chainOn, later(700));
      assert.equal(late.status, "alarm");
      assert.equal(late.lag, 4);
      assert.match(late.message, /4 sealed blocks are not anchored yet/);
    });

    it("exports every block as a header line followed by its entries in leaf order, from which each root recomputes", async () => {
      const lines = await exportLines();
      assert.deepEqual(lines[0], { type: "ledger", ledgerId: "test", genesisRoot: env.ledger.genesisRoot, from: 1, to: 4 });
      const blocks = lines.filter((l) => l.type === "block");
      assert.deepEqual(blocks.map((b) => [b.height, b.entryCount]), [[1, 3], [2, 1], [3, 5], [4, 2]]);
      let previous = env.ledger.genesisRoot as string;
      for (const block of blocks) {
        const entries = lines.filter((l) => l.type === "entry" && l.height === block.height);
        assert.deepEqual(entries.map((e) => e.leafIndex), entries.map((_, i) => i));
        const expected = (await listBlockEntries(env.ledger, block.height as number, { limit: 100 })).entries.map((e) => e.entryHash);
        assert.deepEqual(entries.map((e) => e.entryHash), expected);
        assert.equal(buildBlockTree(entries.map((e) => hashToBytes(e.entryHash as string))).root, block.root);
        assert.equal(block.prevRoot, previous);
        previous = block.root as string;
      }
      const index = lines.findIndex((l) => l.type === "block" && l.height === 3);
      assert.deepEqual(lines.slice(index + 1, index + 6).map((l) => l.type), ["entry", "entry", "entry", "entry", "entry"]);
    });

    it("exports a range, clamps `to` at the head, and refuses from > to", async () => {
      const range = await exportLines("?from=2&to=3");
      assert.deepEqual(range.filter((l) => l.type === "block").map((b) => b.height), [2, 3]);
      assert.equal(range.filter((l) => l.type === "entry").length, 6);
      const clamped = await exportLines("?from=4&to=99");
      assert.deepEqual(clamped[0], { type: "ledger", ledgerId: "test", genesisRoot: env.ledger.genesisRoot, from: 4, to: 4 });
      assert.equal((await exportLines("?from=9")).length, 1, "beyond the head: the ledger line only");
      const refused = await exportRoute.GET(new Request("http://localhost/api/v1/export?from=3&to=2"));
      assert.equal(refused.status, 400);
      assert.equal(((await refused.json()) as { code: string }).code, "invalid_request");
    });
  });
}
