import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { getSigner, registerSigner, REVOCATION_PAST_TOLERANCE_MS, revocationTime, revokeSigner } from "../../lib/ledger/signers/signers";
import { ProtocolError } from "../../lib/protocol/errors";
import { drivers, freshDatabase, skipReason } from "../support/db";
import { newKeyPair } from "../support/records";

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`revoking a signer on ${driver}`, { skip: skip ?? false }, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let ledger: LedgerContext;
    const register = async () => {
      const pair = await newKeyPair("EdDSA");
      return (await registerSigner(ledger, { publicJwk: pair.publicJwk, label: "revocation test", validFrom: new Date(Date.now() - 60_000) })).kid;
    };

    before(async () => {
      db = await freshDatabase(driver);
      ledger = await openLedger(db, "signers-test");
    });
    after(async () => db?.dispose());

    it("brings a planned end (a certificate's expiry) forward to the revocation time", async () => {
      const kid = await register();
      const expiry = new Date(Date.now() + 30 * 86_400_000);
      await revokeSigner(ledger, kid, { at: expiry, reason: "certificate expires" });
      const now = new Date();
      const revoked = await revokeSigner(ledger, kid, { at: now, reason: "key compromised" });
      assert.equal(revoked.revokedAt?.getTime(), now.getTime());
      assert.equal(revoked.revocationReason, "key compromised");
      assert.equal(revoked.status, "revoked");
    });

    it("keeps an earlier revocation when asked to revoke again later", async () => {
      const kid = await register();
      const first = new Date(Date.now() - 1_000);
      await revokeSigner(ledger, kid, { at: first, reason: "first" });
      await revokeSigner(ledger, kid, { at: new Date(Date.now() + 86_400_000), reason: "second" });
      const signer = await getSigner(ledger, kid);
      assert.equal(signer?.revokedAt?.getTime(), first.getTime());
      assert.equal(signer?.revocationReason, "first");
    });
  });
}

describe("the time a revocation takes effect (one rule for the console and the CLI)", () => {
  const now = new Date("2026-03-01T12:00:00.000Z");

  it("is now when no time is given, or when the time lies only minutes back", () => {
    assert.equal(revocationTime(undefined, now).getTime(), now.getTime());
    assert.equal(revocationTime(new Date(now.getTime() - REVOCATION_PAST_TOLERANCE_MS), now).getTime(), now.getTime());
  });

  it("is the time given when it is later than now", () => {
    const later = new Date(now.getTime() + 86_400_000);
    assert.equal(revocationTime(later, now).getTime(), later.getTime());
  });

  it("refuses a time further in the past, naming it, because the audit would then flag earlier records", () => {
    const past = new Date(now.getTime() - 86_400_000);
    assert.throws(
      () => revocationTime(past, now),
      (error: ProtocolError) => error.code === "invalid_request" && error.message.includes(past.toISOString()) && /look invalid to the audit/.test(error.message),
    );
  });

  it("refuses a time that is not a time", () => {
    assert.throws(() => revocationTime(new Date("not a time"), now), (error: ProtocolError) => error.code === "invalid_request");
  });
});
