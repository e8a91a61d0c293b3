import assert from "node:assert/strict";
import { describe, it } from "node:test";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { auditLedger } from "../../lib/ledger/audit";
import { submitRecords } from "../../lib/ledger/ingest";
import { metricsText } from "../../lib/observability/metrics";
import { addSealedBlock, ledgerWithSigner } from "../support/ledger";

type Family = { name: string; type: string; metrics: { labels?: Record<string, string>; value?: string; count?: string; sum?: string }[] };

async function scrape(): Promise<Map<string, Family>> {
  const families = parsePrometheusTextFormat((await metricsText()).text) as Family[];
  return new Map(families.map((f) => [f.name, f]));
}

describe("what the ledger records in the metrics (in process, PGlite)", () => {
  it("counts sealed blocks with their size, duration and lock hold, accepted and rejected records, and audits", async () => {
    const { db, ledger, privateJwk } = await ledgerWithSigner("pglite");
    try {
      await addSealedBlock(ledger, privateJwk, 5);
      const [replay] = await submitRecords(ledger, ["not a jws"]);
      assert.equal(replay.ok, false);
      await auditLedger(ledger);

      const m = await scrape();
      const sample = (name: string) => m.get(name)?.metrics[0];
      assert.equal(sample("sealbook_seal_entries")?.count, "1");
      assert.equal(sample("sealbook_seal_entries")?.sum, "5");
      assert.equal(sample("sealbook_seal_duration_seconds")?.count, "1");
      assert.equal(sample("sealbook_seal_stall_seconds")?.count, "1");
      assert.ok(Number(sample("sealbook_seal_stall_seconds")?.sum) <= Number(sample("sealbook_seal_duration_seconds")?.sum), "the lock is held within the seal");
      assert.equal(sample("sealbook_head_height")?.value, "1");
      assert.equal(sample("sealbook_records_accepted_total")?.value, "5");
      assert.deepEqual(m.get("sealbook_records_rejected_total")?.metrics, [{ labels: { code: "invalid_jws" }, value: "1" }]);
      assert.deepEqual(m.get("sealbook_audit_runs_total")?.metrics, [{ labels: { result: "clean" }, value: "1" }]);
    } finally {
      await db.dispose();
    }
  });
});
