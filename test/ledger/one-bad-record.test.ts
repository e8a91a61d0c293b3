/**
 * One bad record must never fail the records submitted with it (issue 12, item 1): a `kid` the
 * database would refuse is refused before any lookup, and whatever else goes wrong with one record
 * (here a trigger that fails its insert) rejects that record alone, in the group commit of single
 * submissions and in a batch.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { answerBatchSubmission } from "../../lib/http/acceptance";
import { readConfig } from "../../lib/config";
import { RecordNotProcessedError, submitRecords } from "../../lib/ledger/ingest";
import { submitRecord } from "../../lib/ledger/ingest-batcher";
import { decodeRecord } from "../../lib/protocol/record";
import { drivers, skipReason } from "../support/db";
import { ledgerWithSigner } from "../support/ledger";
import { b64url, payload, signedRecord } from "../support/records";

const config = readConfig({ LEDGER_ID: "test", SEALBOOK_CHAIN: "off" });

/** A record whose header names `kid` (its signature is garbage: the kid is refused first). */
function recordWithKid(prevRoot: `0x${string}`, kid: string): string {
  return `${b64url({ alg: "EdDSA", kid })}.${b64url(payload(prevRoot))}.${b64url("signature")}`;
}

describe("a record's kid", () => {
  it("is refused as invalid_jws unless it is base64url of 1 to 64 characters", () => {
    const root = `0x${"00".repeat(32)}` as const;
    for (const kid of ["\u0000", "abc\u0000", "a".repeat(65), "a/b", "a+b", "a b", ""]) {
      assert.throws(() => decodeRecord(recordWithKid(root, kid)), { code: "invalid_jws" }, JSON.stringify(kid));
    }
    assert.equal(decodeRecord(recordWithKid(root, "a".repeat(64))).header.kid, "a".repeat(64));
  });
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`one bad record fails only itself, on ${driver}`, { skip: skip ?? false }, () => {
    let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
    before(async () => {
      env = await ledgerWithSigner(driver);
      // A record of kind "poison.kind" makes its insert fail, as any unexpected database error would.
      await env.ledger.db.execute(sql.raw(`
        create function refuse_poison() returns trigger language plpgsql as $$
        begin
          if convert_from(decode(translate(split_part(sealbook_unpack_jws(new.jws), '.', 2), '-_', '+/')
               || repeat('=', (4 - length(split_part(sealbook_unpack_jws(new.jws), '.', 2)) % 4) % 4), 'base64'), 'UTF8')
               like '%"kind":"poison.kind"%' then raise exception 'poisoned insert'; end if;
          return new;
        end $$`));
      await env.ledger.db.execute(sql.raw(`create trigger refuse_poison before insert on entries for each row execute function refuse_poison()`));
    });
    after(async () => env?.db.dispose());

    async function countEntries(): Promise<number> {
      const [{ n }] = await queryRows<{ n: string }>(env.ledger.db, sql`select count(*) as n from entries`);
      return Number(n);
    }

    it("accepts every honest single submission while records with a NUL kid arrive among them", async () => {
      const { ledger, privateJwk } = env;
      const before = await countEntries();
      const honest = await Promise.all(Array.from({ length: 40 }, () => signedRecord(privateJwk, ledger.genesisRoot)));
      const bad = Array.from({ length: 10 }, () => recordWithKid(ledger.genesisRoot, "\u0000"));
      const mixed = honest.flatMap((jws, i) => (i % 4 === 0 ? [jws, bad[i / 4]] : [jws]));
      const verdicts = await Promise.all(mixed.map((jws) => submitRecord(ledger, jws).then(() => "accepted", (e: { code?: string }) => e.code ?? String(e))));
      assert.equal(verdicts.filter((v) => v === "accepted").length, 40);
      assert.equal(verdicts.filter((v) => v === "invalid_jws").length, 10);
      assert.equal((await countEntries()) - before, 40);
    });

    it("accepts every honest single submission committed in the same group as a record whose insert fails", async () => {
      const { ledger, privateJwk } = env;
      const before = await countEntries();
      const honest = await Promise.all(Array.from({ length: 30 }, () => signedRecord(privateJwk, ledger.genesisRoot)));
      const poison = await Promise.all(Array.from({ length: 5 }, () => signedRecord(privateJwk, ledger.genesisRoot, { kind: "poison.kind" })));
      const mixed = honest.flatMap((jws, i) => (i % 6 === 0 ? [jws, poison[i / 6]] : [jws]));
      const verdicts = await Promise.all(
        mixed.map((jws) => submitRecord(ledger, jws).then(() => "accepted", (e: unknown) => (e instanceof RecordNotProcessedError ? "not processed" : String(e)))),
      );
      assert.equal(verdicts.filter((v) => v === "accepted").length, 30);
      assert.equal(verdicts.filter((v) => v === "not processed").length, 5);
      assert.equal((await countEntries()) - before, 30);
    });

    it("answers a batch holding a NUL kid and a failing insert item by item", async () => {
      const { ledger, privateJwk } = env;
      const good = await Promise.all(Array.from({ length: 4 }, () => signedRecord(privateJwk, ledger.genesisRoot)));
      const items = [good[0], recordWithKid(ledger.genesisRoot, "\u0000"), good[1], await signedRecord(privateJwk, ledger.genesisRoot, { kind: "poison.kind" }), good[2], good[3]];
      const results = await submitRecords(ledger, items);
      assert.deepEqual(results.map((r) => (r.ok ? "accepted" : r.error instanceof RecordNotProcessedError ? "not processed" : r.error.code)), [
        "accepted",
        "invalid_jws",
        "accepted",
        "not processed",
        "accepted",
        "accepted",
      ]);
      const again = [await signedRecord(privateJwk, ledger.genesisRoot), recordWithKid(ledger.genesisRoot, "\u0000"), await signedRecord(privateJwk, ledger.genesisRoot, { kind: "poison.kind" })];
      const response = await answerBatchSubmission({ config, ledger, handle: undefined as never }, again);
      assert.equal(response.status, 200);
      const body = (await response.json()) as { accepted: number; results: Array<{ status: string; problem?: { status: number; code: string } }> };
      assert.equal(body.accepted, 1);
      assert.deepEqual(body.results.map((r) => r.problem?.code ?? r.status), ["accepted", "invalid_jws", "internal"]);
      assert.equal(body.results[2].problem?.status, 500);
    });
  });
}
