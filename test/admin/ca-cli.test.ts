/**
 * `sealbook ca list | distrust`: distrusting a certification centre says how many signer keys it
 * registered are still active, and `--revoke-signers` revokes them (issue 12, item 8). PostgreSQL
 * only: the CLI and the test share the database.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { submitRecords } from "../../lib/ledger/ingest";
import { addTrustedCa } from "../../lib/ledger/signers/trusted-cas";
import { signRecord } from "../../lib/protocol/sign";
import { runSealbook } from "../support/cli";
import { freshDatabase, skipReason } from "../support/db";
import { payload } from "../support/records";
import { rootCa, signerCertificate } from "./support/pki";

const sealbook = (args: string[], env: Record<string, string>) => runSealbook(args, { LEDGER_ID: "cli-ca", ...env });

const skip = await skipReason("postgres");
describe("sealbook ca on postgres", { skip: skip ?? false }, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let ledger: LedgerContext;
  let caId: number;

  before(async () => {
    db = await freshDatabase("postgres");
    ledger = await openLedger(db, "cli-ca");
    const centre = await rootCa("CN=CLI Centre");
    caId = (await addTrustedCa(ledger, centre.pem, "admin@sealbook.test")).ca.id;
    for (const name of ["CN=One", "CN=Two"]) {
      const signer = await signerCertificate(centre, { name });
      const [result] = await submitRecords(ledger, [await signRecord(signer.privateJwk, payload(ledger.genesisRoot), { x5c: [signer.x5c] })]);
      assert.equal(result.ok, true);
    }
  });
  after(async () => db?.dispose());

  it("says how many keys a distrusted centre registered are still active, and revokes them with --revoke-signers", async () => {
    const env = { DATABASE_URL: db.url! };
    const listed = await sealbook(["ca", "list", "--json"], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as Array<{ id: number; activeSignerCount: number }>).map((c) => [c.id, c.activeSignerCount]),
      [[caId, 2]],
    );
    const distrusted = await sealbook(["ca", "distrust", String(caId)], env);
    assert.equal(distrusted.code, 0, distrusted.stderr);
    assert.match(distrusted.stdout, /2 signer key\(s\) registered through it are still active/);
    const revoked = await sealbook(["ca", "distrust", String(caId), "--revoke-signers", "--json"], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((JSON.parse(revoked.stdout) as { revoked: string[] }).revoked.length, 2);
    const after = await sealbook(["ca", "list", "--json"], env);
    assert.equal((JSON.parse(after.stdout) as Array<{ activeSignerCount: number }>)[0].activeSignerCount, 0);
  });
});
