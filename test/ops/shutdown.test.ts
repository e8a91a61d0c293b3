import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { openLedger } from "../../lib/ledger/context";
import { registerSigner } from "../../lib/ledger/signers/signers";
import { entryHashOf } from "../../lib/protocol/hash";
import { freshDatabase, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";
import { startChildServer } from "./support/child-server";

const RECORDS = 1_200;
const CONCURRENCY = 16;
/** SIGTERM goes out once this many records were acknowledged; the rest of the burst keeps coming. */
const SIGNAL_AFTER = 150;

const skip = await skipReason("postgres");

describe("graceful shutdown (PostgreSQL, the server as a child process)", { skip: skip ?? false }, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let records: string[] = [];

  before(async () => {
    db = await freshDatabase("postgres");
    const ledger = await openLedger(db, "test");
    const keys = await newKeyPair("EdDSA");
    await registerSigner(ledger, { publicJwk: keys.publicJwk, label: "test signer", validFrom: new Date(Date.now() - 60_000) });
    records = await Promise.all(Array.from({ length: RECORDS }, () => signedRecord(keys.privateJwk, ledger.genesisRoot)));
    await db.close();
  });
  after(async () => db?.dispose());

  it("a SIGTERM during a burst of submissions ends with every acknowledged record stored and every other one absent, and exit code 0", async () => {
    const server = await startChildServer({ DATABASE_URL: db.url!, LEDGER_ID: "test", LOG_FORMAT: "json", SEAL_INTERVAL_SECONDS: "1", SHUTDOWN_GRACE_SECONDS: "30" });
    const acknowledged: string[] = [];
    const unacknowledged: string[] = [];
    const failures = new Map<string, number>();
    let signalled = false;
    let next = 0;
    const sender = async () => {
      while (next < records.length) {
        const jws = records[next++];
        let status: number | string;
        try {
          const response = await fetch(`${server.url}/api/v1/records`, { method: "POST", headers: { "content-type": "application/jose" }, body: jws });
          status = response.status;
          await response.arrayBuffer();
        } catch (error) {
          status = ((error as Error).cause as { code?: string } | undefined)?.code ?? "network error";
        }
        if (status === 201) acknowledged.push(jws);
        else {
          unacknowledged.push(jws);
          failures.set(String(status), (failures.get(String(status)) ?? 0) + 1);
        }
        if (!signalled && acknowledged.length >= SIGNAL_AFTER) {
          signalled = true;
          server.child.kill("SIGTERM");
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, sender));
    const code = await server.exited;
    console.log(`# ${acknowledged.length} acknowledged, ${unacknowledged.length} not (${[...failures].map(([k, v]) => `${k}: ${v}`).join(", ")})`);
    assert.equal(code, 0, `the server exits 0 after SIGTERM; it wrote:\n${server.stdout().slice(-3000)}\n${server.stderr()}`);
    assert.ok(signalled && acknowledged.length >= SIGNAL_AFTER, "the signal went out during the burst");
    assert.ok(unacknowledged.length > 0, "some submissions came after the server stopped accepting");

    const sql = postgres(db.url!, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ h: string }[]>`select '0x' || encode(entry_hash, 'hex') as h from entries`;
      const stored = new Set(rows.map((r) => r.h));
      const lost = acknowledged.filter((jws) => !stored.has(entryHashOf(jws)));
      const phantom = unacknowledged.filter((jws) => stored.has(entryHashOf(jws)));
      assert.equal(lost.length, 0, "every acknowledged record is stored");
      assert.equal(phantom.length, 0, "no record the client was not told about is stored");
      assert.equal(stored.size, acknowledged.length);
    } finally {
      await sql.end();
    }

    const lines = server.stdout().trimEnd().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.ok(lines.some((l) => String(l.message).startsWith("SIGTERM: stopping")), "the shutdown is logged");
    assert.ok(lines.some((l) => l.message === "stopped" && l.exitCode === 0));
    const requests = lines.filter((l) => l.route === "/api/v1/records");
    assert.ok(requests.length >= acknowledged.length, "each request is logged");
    for (const r of requests) {
      assert.equal(r.level, "info");
      assert.equal(r.method, "POST");
      assert.equal(typeof r.durationMs, "number");
    }
    const everything = server.stdout();
    assert.ok(!records.some((jws) => everything.includes(jws.split(".")[2])), "no JWS is logged");
  });
});
