import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { getSigner, registerSigner, revokeSigner } from "../../lib/ledger/signers/signers";
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
