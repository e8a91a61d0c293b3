import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { submitRecord } from "../../lib/ledger/ingest-batcher";
import { drivers, skipReason } from "../support/db";
import { ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`single records submitted at once are committed together, each answered on its own, on ${driver}`, { skip: skip ?? false }, () => {
    let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
    before(async () => {
      env = await ledgerWithSigner(driver);
    });
    after(async () => env?.db.dispose());

    it("gives every concurrent caller its own verdict and stores exactly the accepted ones", async () => {
      const { ledger, privateJwk } = env;
      const good = await Promise.all(Array.from({ length: 40 }, () => signedRecord(privateJwk, ledger.genesisRoot)));
      const stale = await signedRecord(privateJwk, `0x${"12".repeat(32)}`);
      const submissions = [...good, good[3], "not-a-jws", stale].map((jws) =>
        submitRecord(ledger, jws).then(
          (ok) => ({ verdict: "accepted", entryHash: ok.entryHash }),
          (error: { code: string }) => ({ verdict: error.code, entryHash: null }),
        ),
      );
      const verdicts = await Promise.all(submissions);
      assert.equal(verdicts.filter((v) => v.verdict === "accepted").length, 40);
      assert.deepEqual(verdicts.slice(40).map((v) => v.verdict), ["duplicate_record", "invalid_jws", "stale_prev_root"]);
      assert.equal(new Set(verdicts.slice(0, 40).map((v) => v.entryHash)).size, 40);
      const [{ n }] = await queryRows<{ n: string }>(ledger.db, sql`select count(*) as n from entries`);
      assert.equal(Number(n), 40);
    });
  });
}
