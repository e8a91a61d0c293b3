/**
 * `sealbook signer revoke --at`: the CLI follows the console's revocation rule (lib/ledger/signers/
 * signers.ts, `revocationTime`): a time in the past is refused with the time and what to do, now or
 * a later time is applied. PostgreSQL only: the CLI and the test share the database.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { getSigner, registerSigner } from "../../lib/ledger/signers/signers";
import { runSealbook } from "../support/cli";
import { freshDatabase, skipReason } from "../support/db";
import { newKeyPair } from "../support/records";

const DAY = 86_400_000;
const sealbook = (args: string[], env: Record<string, string>) => runSealbook(args, { LEDGER_ID: "cli-revoke", ...env });

const skip = await skipReason("postgres");
describe("sealbook signer revoke on postgres", { skip: skip ?? false }, () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let ledger: LedgerContext;
  let kid: string;

  before(async () => {
    db = await freshDatabase("postgres");
    ledger = await openLedger(db, "cli-revoke");
    const pair = await newKeyPair("EdDSA");
    kid = (await registerSigner(ledger, { publicJwk: pair.publicJwk, label: "CLI revocation", validFrom: new Date(Date.now() - DAY) })).kid;
  });
  after(async () => db?.dispose());

  it("refuses a --at in the past, naming the time and what to do, and leaves the key as it was", async () => {
    const past = new Date(Date.now() - DAY).toISOString();
    const run = await sealbook(["signer", "revoke", kid, "--at", past, "--reason", "retroactive"], { DATABASE_URL: db.url! });
    assert.notEqual(run.code, 0, run.stdout);
    assert.match(run.stderr, /cannot take effect in the past/);
    assert.ok(run.stderr.includes(past), run.stderr);
    assert.match(run.stderr, /Revoke it from now on/);
    assert.equal((await getSigner(ledger, kid))?.revokedAt, null);
  });

  it("revokes from a later --at", async () => {
    const later = new Date(Date.now() + DAY);
    const run = await sealbook(["signer", "revoke", kid, "--at", later.toISOString(), "--reason", "leaves next week", "--json"], { DATABASE_URL: db.url! });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await getSigner(ledger, kid))?.revokedAt?.getTime(), later.getTime());
  });
});
