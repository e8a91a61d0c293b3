import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../db/client";
import { checkReadiness, setLifecycle } from "../../lib/server/readiness";

describe("readiness", () => {
  afterEach(() => setLifecycle("serving"));

  it("is ready when the process serves, the database answers and every migration is applied", async () => {
    const handle = await openDatabase({ dataDir: "memory://" });
    try {
      setLifecycle("serving");
      const readiness = await checkReadiness(async () => handle.db);
      assert.equal(readiness.status, "ready");
      assert.equal(readiness.checks.migrations, "all applied");
    } finally {
      await handle.close();
    }
  });

  it("is not ready while the process starts or shuts down, whatever the database says", async () => {
    const handle = await openDatabase({ dataDir: "memory://" });
    try {
      for (const state of ["starting", "stopping"] as const) {
        setLifecycle(state);
        const readiness = await checkReadiness(async () => handle.db);
        assert.equal(readiness.status, "not_ready", state);
        assert.equal(readiness.lifecycle, state);
      }
    } finally {
      await handle.close();
    }
  });

  it("is not ready when a committed migration is not applied, and names it", async () => {
    const handle = await openDatabase({ dataDir: "memory://" });
    try {
      await handle.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);
      const readiness = await checkReadiness(async () => handle.db);
      assert.equal(readiness.status, "not_ready");
      assert.match(readiness.checks.migrations, /^not applied: \d{4}_\w+$/);
    } finally {
      await handle.close();
    }
  });

  it("is not ready when the database does not answer", async () => {
    const handle = await openDatabase({ dataDir: "memory://" });
    await handle.close();
    const readiness = await checkReadiness(async () => handle.db);
    assert.equal(readiness.status, "not_ready");
    assert.match(readiness.checks.database, /^does not answer/);
  });
});
