/**
 * `GET /api/v1/health` is public: when the database does not answer, it says so in general terms
 * and logs the driver's message (which may name roles, hosts and addresses) instead of publishing
 * it (issue 12, item 13).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readConfig } from "../../lib/config";
import type { LedgerContext } from "../../lib/ledger/context";
import { getHealth } from "../../lib/chain/health";
import { installLogger, logger, loggerForEnv } from "../../lib/observability/logger";

describe("the health check of a database that does not answer", () => {
  it("publishes a generic state and logs the driver's message", async () => {
    const secret = 'password authentication failed for user "ledger_owner" at 10.1.2.3:5432';
    const db = { session: {}, execute: () => Promise.reject(new Error(secret)) };
    const ledger = { db, driver: "postgres", now: () => new Date() } as unknown as LedgerContext;
    const lines: string[] = [];
    const previous = logger();
    installLogger(loggerForEnv({ LOG_FORMAT: "json" }, { write: (line) => lines.push(line) }));
    try {
      const health = await getHealth({ config: readConfig({ SEALBOOK_CHAIN: "off" }), ledger });
      assert.equal(health.checks.database.status, "alarm");
      assert.doesNotMatch(JSON.stringify(health), /ledger_owner|10\.1\.2\.3/);
      assert.ok(lines.some((line) => line.includes("ledger_owner")), "the driver's message is in the log");
    } finally {
      installLogger(previous);
    }
  });
});
