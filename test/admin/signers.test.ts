/**
 * Managing signers from the console's API: register from a public JWK or an X.509 certificate, edit
 * the label and organization, revoke with a reason and an effective time, see each key's entry count.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as centresRoute from "../../app/api/v1/admin/certification-centers/route";
import * as centreRoute from "../../app/api/v1/admin/certification-centers/[id]/route";
import * as signersRoute from "../../app/api/v1/admin/signers/route";
import * as signerRoute from "../../app/api/v1/admin/signers/[kid]/route";
import * as revocationRoute from "../../app/api/v1/admin/signers/[kid]/revocation/route";
import { submitRecords } from "../../lib/ledger/ingest";
import { drivers, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";
import { adminEnv, call, type AdminEnv } from "./support/admin-env";
import { rootCa, signerCertificate } from "./support/pki";

type SignerJson = { kid: string; label: string; organization: string | null; status: string; validFrom: string; revokedAt: string | null; revocationReason: string | null; entryCount?: number; certificate?: { subject: string; trustedCaId: number | null } | null };

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`managing signers through the admin API on ${driver}`, { skip: skip ?? false }, () => {
    let env: AdminEnv;
    let cookie: string;
    before(async () => {
      env = await adminEnv(driver);
      cookie = await env.cookieFor("operator");
    });
    after(async () => env?.dispose());

    const list = async () => ((await (await call(signersRoute.GET, "GET", "/api/v1/admin/signers", { cookie })).json()) as { signers: SignerJson[] }).signers;
    const problem = async (response: Response) => ({ status: response.status, ...((await response.json()) as { code: string; detail: string }) });

    it("registers a key from a public JWK (201), and answers 200 without change for the same key again", async () => {
      const keys = await newKeyPair("ES256");
      const first = await call(signersRoute.POST, "POST", "/api/v1/admin/signers", { cookie, body: { jwk: { ...keys.publicJwk, kid: "ignored", use: "sig" }, label: "Lab Bot", organization: "Central Lab" } });
      assert.equal(first.status, 201);
      const { signer } = (await first.json()) as { signer: SignerJson };
      const again = await call(signersRoute.POST, "POST", "/api/v1/admin/signers", { cookie, body: { jwk: keys.publicJwk, label: "Another name" } });
      assert.equal(again.status, 200);
      assert.equal(((await again.json()) as { signer: SignerJson }).signer.label, "Lab Bot");

      await submitRecords(env.ledger, await Promise.all([1, 2].map(() => signedRecord(keys.privateJwk, env.ledger.genesisRoot))));
      const listed = (await list()).find((s) => s.kid === signer.kid);
      assert.equal(listed?.entryCount, 2);
      assert.equal(listed?.certificate, null);
    });

    it("refuses a private JWK, an unsupported key, and a missing label", async () => {
      const keys = await newKeyPair("EdDSA");
      const cases: Array<[unknown, RegExp]> = [
        [{ jwk: keys.privateJwk, label: "x" }, /contains a private key/],
        [{ jwk: { kty: "RSA", n: "abc", e: "AQAB" }, label: "x" }, /Ed25519 \(kty OKP\) or P-256/],
        [{ jwk: keys.publicJwk, label: "" }, /label of 1 to 200 characters/],
        [{ label: "neither" }, /The request is not valid/],
      ];
      for (const [body, message] of cases) {
        const answer = await problem(await call(signersRoute.POST, "POST", "/api/v1/admin/signers", { cookie, body }));
        assert.equal(answer.status, 400);
        assert.match(answer.detail, message);
      }
    });

    it("registers a key from a certificate, keeping its validity and its subject", async () => {
      const ca = await rootCa();
      const leaf = await signerCertificate(ca, { name: "CN=Dr. Cert Upload, O=Cert Clinic" });
      const response = await call(signersRoute.POST, "POST", "/api/v1/admin/signers", { cookie, body: { certificate: leaf.cert.toString("pem"), organization: "Override Org" } });
      assert.equal(response.status, 201);
      const { signer } = (await response.json()) as { signer: SignerJson };
      assert.deepEqual([signer.label, signer.organization, signer.revokedAt], ["Dr. Cert Upload", "Override Org", leaf.cert.notAfter.toISOString()]);
      const listed = (await list()).find((s) => s.kid === signer.kid);
      assert.equal(listed?.certificate?.subject, "CN=Dr. Cert Upload, O=Cert Clinic");
      assert.equal(listed?.certificate?.trustedCaId, null);
      const refused = await problem(await call(signersRoute.POST, "POST", "/api/v1/admin/signers", { cookie, body: { certificate: ca.pem } }));
      assert.equal(refused.status, 400);
      assert.match(refused.detail, /is a CA certificate/);
    });

    it("edits a label and organization; 404 for an unknown key", async () => {
      const [signer] = await list();
      const edited = await call(signerRoute.PATCH, "PATCH", `/api/v1/admin/signers/${signer.kid}`, { cookie, params: { kid: signer.kid }, body: { label: "Lab Robot", organization: null } });
      assert.equal(edited.status, 200);
      const after = ((await edited.json()) as { signer: SignerJson }).signer;
      assert.deepEqual([after.label, after.organization], ["Lab Robot", null]);
      const unknown = await call(signerRoute.PATCH, "PATCH", "/api/v1/admin/signers/nope", { cookie, params: { kid: "nope" }, body: { label: "x", organization: null } });
      assert.equal(unknown.status, 404);
    });

    it("revokes from a chosen time, with a reason; never in the past, and only once", async () => {
      const [signer] = await list();
      const path = `/api/v1/admin/signers/${signer.kid}/revocation`;
      const past = await problem(await call(revocationRoute.POST, "POST", path, { cookie, params: { kid: signer.kid }, body: { reason: "late", at: new Date(Date.now() - 86_400_000).toISOString() } }));
      assert.equal(past.status, 400);
      assert.match(past.detail, /cannot take effect in the past/);
      const noReason = await call(revocationRoute.POST, "POST", path, { cookie, params: { kid: signer.kid }, body: { reason: " " } });
      assert.equal(noReason.status, 400);

      const at = new Date(env.clock.now().getTime() + 3_600_000);
      const revoked = await call(revocationRoute.POST, "POST", path, { cookie, params: { kid: signer.kid }, body: { reason: "Device replaced", at: at.toISOString() } });
      assert.equal(revoked.status, 200);
      const body = (await revoked.json()) as { signer: SignerJson; changed: boolean };
      assert.equal(body.changed, true);
      assert.deepEqual([body.signer.revokedAt, body.signer.revocationReason, body.signer.status], [at.toISOString(), "Device replaced", "active"]);
      const later = (await (await call(revocationRoute.POST, "POST", path, { cookie, params: { kid: signer.kid }, body: { reason: "again", at: new Date(at.getTime() + 60_000).toISOString() } })).json()) as { changed: boolean; signer: SignerJson };
      assert.equal(later.changed, false);
      assert.equal(later.signer.revocationReason, "Device replaced");
    });

    it("lets only admins trust and distrust certification centres", async () => {
      const ca = await rootCa("CN=Admin Only CA");
      assert.equal((await call(centresRoute.POST, "POST", "/api/v1/admin/certification-centers", { cookie, body: { certificate: ca.pem } })).status, 403);
      const adminCookie = await env.cookieFor("admin");
      const trusted = await call(centresRoute.POST, "POST", "/api/v1/admin/certification-centers", { cookie: adminCookie, body: { certificate: ca.pem } });
      assert.equal(trusted.status, 201);
      const { certificationCenter } = (await trusted.json()) as { certificationCenter: { id: number; addedBy: string } };
      assert.equal(certificationCenter.addedBy, env.emails.admin);
      const listed = (await (await call(centresRoute.GET, "GET", "/api/v1/admin/certification-centers", { cookie })).json()) as { certificationCenters: Array<{ id: number }> };
      assert.ok(listed.certificationCenters.some((c) => c.id === certificationCenter.id), "operators can read the list");
      const id = String(certificationCenter.id);
      const distrusted = await call(centreRoute.DELETE, "DELETE", `/api/v1/admin/certification-centers/${id}`, { cookie: adminCookie, params: { id } });
      assert.equal(distrusted.status, 200);
      assert.ok(((await distrusted.json()) as { certificationCenter: { removedAt: string | null } }).certificationCenter.removedAt);
      assert.equal((await call(centreRoute.DELETE, "DELETE", "/api/v1/admin/certification-centers/abc", { cookie: adminCookie, params: { id: "abc" } })).status, 400);
    });
  });
}
