/**
 * Certification centres: records carrying their signer's X.509 chain (JWS x5c) register their
 * signer when the chain validates to a trusted CA at acceptance time, and are refused, with nothing
 * stored, for an expired certificate, a wrong CA, a leaf not meant for signing, a revoked key, and
 * the other rules of lib/ledger/signers/cert-chain.ts. Test CAs are made here with @peculiar/x509.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { revokeSignerFrom } from "../../lib/admin/signer-admin";
import { registerSignerFromCertificate } from "../../lib/ledger/signers/cert-signers";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { submitRecords } from "../../lib/ledger/ingest";
import { getSigner } from "../../lib/ledger/signers/signers";
import { addTrustedCa, distrustCa } from "../../lib/ledger/signers/trusted-cas";
import { x509 } from "../../lib/ledger/signers/x509";
import { ProtocolError } from "../../lib/protocol/errors";
import { signerKid, publicSignerKey } from "../../lib/protocol/signer-key";
import { drivers, freshDatabase, skipReason } from "../support/db";
import { signRecord } from "../../lib/protocol/sign";
import { payload } from "../support/records";
import { intermediateCa, rootCa, signerCertificate, x5cOf, type TestCa, type TestSigner } from "./support/pki";

const DAY = 86_400_000;

async function kidOf(signer: TestSigner): Promise<string> {
  const { d: _d, ...publicPart } = signer.privateJwk;
  return signerKid(publicSignerKey(publicPart).publicJwk);
}

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`signers certified by a trusted certification centre on ${driver}`, { skip: skip ?? false }, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let ledger: LedgerContext;
    let root: TestCa;

    before(async () => {
      db = await freshDatabase(driver);
      ledger = await openLedger(db, "cert-test");
      root = await rootCa();
      await addTrustedCa(ledger, root.pem, "admin@sealbook.test");
    });
    after(async () => db?.dispose());

    /** Submits one record signed by `signer` carrying `x5c`; returns the result. */
    const submit = async (signer: TestSigner, x5c: string[] | undefined) => {
      const jws = await signedRecordWithHeader(signer, x5c);
      const [result] = await submitRecords(ledger, [jws]);
      return result;
    };
    const signedRecordWithHeader = (signer: TestSigner, x5c: string[] | undefined) => signRecord(signer.privateJwk, payload(ledger.genesisRoot), x5c ? { x5c } : {});
    const rejection = (result: Awaited<ReturnType<typeof submit>>) => {
      assert.equal(result.ok, false, "the record should have been rejected");
      return (result as { error: ProtocolError }).error;
    };
    const certificateReason = (error: ProtocolError) => (error.details.certificate as { reason: string } | undefined)?.reason;
    const assertNotRegistered = async (signer: TestSigner) => assert.equal(await getSigner(ledger, await kidOf(signer)), null, "no signer may be stored");

    it("accepts a record whose x5c chain leads to a trusted CA, and registers its key linked to the certificate", async () => {
      const signer = await signerCertificate(root, { name: "CN=Dr. Ada Example, O=Example Clinic" });
      const result = await submit(signer, [signer.x5c]);
      assert.equal(result.ok, true, JSON.stringify(result));
      const kid = await kidOf(signer);
      const stored = await getSigner(ledger, kid);
      assert.ok(stored);
      assert.equal(stored.label, "Dr. Ada Example");
      assert.equal(stored.organization, "Example Clinic");
      assert.equal(stored.status, "active");
      assert.equal(stored.revokedAt?.getTime(), signer.cert.notAfter.getTime(), "the key ends with its certificate");
      assert.match(stored.revocationReason ?? "", /End of validity of its X\.509 certificate/);
      const [link] = await queryRows<{ trusted_ca_id: number; subject: string; chain: string[] | string }>(
        ledger.db,
        sql`select trusted_ca_id, subject, chain from signer_certificates where kid = ${kid}`,
      );
      assert.equal(link.subject, signer.cert.subject);
      const chain = typeof link.chain === "string" ? (JSON.parse(link.chain) as string[]) : link.chain;
      assert.deepEqual(chain, [signer.x5c, x5cOf(root)], "the validated path runs up to the trusted centre");
      // Later records of the same key need no chain.
      assert.equal((await submit(signer, undefined)).ok, true);
    });

    it("accepts a chain through an intermediate CA carried in x5c", async () => {
      const issuing = await intermediateCa(root);
      const signer = await signerCertificate(issuing, { keyAlg: "P-256", name: "CN=Nurse Bo, O=Ward 7" });
      const result = await submit(signer, [signer.x5c, x5cOf(issuing)]);
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal((await getSigner(ledger, await kidOf(signer)))?.alg, "ES256");
    });

    it("rejects an expired signer certificate and stores nothing", async () => {
      const signer = await signerCertificate(root, { notBefore: new Date(Date.now() - 60 * DAY), notAfter: new Date(Date.now() - DAY) });
      const error = rejection(await submit(signer, [signer.x5c]));
      assert.equal(error.code, "unknown_signer");
      assert.equal(certificateReason(error), "expired");
      assert.match(error.message, /expired at/);
      await assertNotRegistered(signer);
    });

    it("rejects a signer certificate that is not valid yet, and an expired intermediate CA", async () => {
      const early = await signerCertificate(root, { notBefore: new Date(Date.now() + DAY) });
      assert.equal(certificateReason(rejection(await submit(early, [early.x5c]))), "not_yet_valid");
      const oldIssuing = await intermediateCa(root, "CN=Retired Issuing CA", { notBefore: new Date(Date.now() - 90 * DAY), notAfter: new Date(Date.now() - DAY) });
      const signer = await signerCertificate(oldIssuing);
      const error = rejection(await submit(signer, [signer.x5c, x5cOf(oldIssuing)]));
      assert.equal(certificateReason(error), "expired");
      assert.match(error.message, /intermediate CA certificate CN=Retired Issuing CA/);
      await assertNotRegistered(signer);
    });

    it("rejects a chain from a CA that is not trusted, even one named like the trusted CA", async () => {
      const other = await rootCa("CN=Some Other CA");
      const signer = await signerCertificate(other);
      const error = rejection(await submit(signer, [signer.x5c, x5cOf(other)]));
      assert.equal(certificateReason(error), "untrusted");
      assert.match(error.message, /does not lead to a trusted certification centre/);
      await assertNotRegistered(signer);

      const impostor = await rootCa(root.cert.subject);
      const forged = await signerCertificate(impostor);
      assert.equal(certificateReason(rejection(await submit(forged, [forged.x5c, x5cOf(impostor)]))), "untrusted");
      await assertNotRegistered(forged);
    });

    it("rejects a leaf that is not for signing: wrong key usage, no key usage, or a CA", async () => {
      for (const [options, why] of [
        [{ usages: x509.KeyUsageFlags.keyEncipherment }, "keyEncipherment only"],
        [{ usages: null }, "no keyUsage extension"],
        [{ ca: true }, "a CA certificate"],
      ] as const) {
        const signer = await signerCertificate(root, options);
        const error = rejection(await submit(signer, [signer.x5c]));
        assert.equal(certificateReason(error), "not_for_signing", why);
        await assertNotRegistered(signer);
      }
    });

    it("rejects a record from a revoked key, even with a valid chain", async () => {
      const signer = await signerCertificate(root, { name: "CN=Dr. Revoked" });
      assert.equal((await submit(signer, [signer.x5c])).ok, true);
      const kid = await kidOf(signer);
      const { changed } = await revokeSignerFrom(ledger, kid, { at: new Date(), reason: "Key reported lost" });
      assert.equal(changed, true, "the revocation comes before the certificate's end, so it is brought forward");
      const error = rejection(await submit(signer, [signer.x5c]));
      assert.equal(error.code, "revoked_signer");
      const stored = await getSigner(ledger, kid);
      assert.equal(stored?.status, "revoked");
      assert.equal(stored?.revocationReason, "Key reported lost");
    });

    it("never pushes a revocation back, nor removes it", async () => {
      const signer = await signerCertificate(root, { name: "CN=Dr. Later" });
      assert.equal((await submit(signer, [signer.x5c])).ok, true);
      const kid = await kidOf(signer);
      const later = new Date(signer.cert.notAfter.getTime() + DAY);
      assert.equal((await revokeSignerFrom(ledger, kid, { at: later, reason: "too late" })).changed, false);
      assert.equal((await getSigner(ledger, kid))?.revokedAt?.getTime(), signer.cert.notAfter.getTime());
      await assert.rejects(
        ledger.db.execute(sql`update signers set revoked_at = revoked_at + interval '1 day' where kid = ${kid}`),
        (error: Error) => /may change only/.test(String(error.cause ?? error)),
      );
      await assert.rejects(
        ledger.db.execute(sql`update signers set revoked_at = null where kid = ${kid}`),
        (error: Error) => /may change only/.test(String(error.cause ?? error)),
      );
      await assert.rejects(revokeSignerFrom(ledger, kid, { at: new Date(Date.now() - DAY), reason: "retroactive" }), /cannot take effect in the past/);
    });

    it("rejects a chain that holds another key than the record's kid", async () => {
      const signer = await signerCertificate(root);
      const someoneElse = await signerCertificate(root, { name: "CN=Someone Else" });
      const error = rejection(await submit(signer, [someoneElse.x5c]));
      assert.equal(certificateReason(error), "key_mismatch");
      await assertNotRegistered(signer);
    });

    it("does not register a key whose record's signature does not verify", async () => {
      const signer = await signerCertificate(root);
      const jws = await signedRecordWithHeader(signer, [signer.x5c]);
      const tampered = `${jws.slice(0, -4)}${jws.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
      const [result] = await submitRecords(ledger, [tampered]);
      assert.equal(rejection(result).code, "bad_signature");
      await assertNotRegistered(signer);
    });

    it("enforces path length and CA flags on the way up", async () => {
      const strictRoot = await rootCa("CN=Strict Root", { pathLength: 0 });
      await addTrustedCa(ledger, strictRoot.pem, "admin@sealbook.test");
      const issuing = await intermediateCa(strictRoot, "CN=Issuing under a strict root");
      const signer = await signerCertificate(issuing);
      assert.equal(certificateReason(rejection(await submit(signer, [signer.x5c, x5cOf(issuing)]))), "path_too_long");

      const notCa = await signerCertificate(root, { name: "CN=Not A CA", usages: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign });
      const fakeIssuer: TestCa = { cert: notCa.cert, keys: { privateKey: await importPrivate(notCa), publicKey: (await notCa.cert.publicKey.export()) as CryptoKey }, pem: "" };
      const below = await signerCertificate(fakeIssuer, { name: "CN=Below a non-CA" });
      assert.equal(certificateReason(rejection(await submit(below, [below.x5c, notCa.x5c]))), "not_a_ca");
    });

    it("registers nothing through a distrusted centre, and keeps the centre's record", async () => {
      const centre = await rootCa("CN=Soon Distrusted CA");
      const { ca } = await addTrustedCa(ledger, centre.pem, "admin@sealbook.test");
      const first = await signerCertificate(centre, { name: "CN=Before" });
      assert.equal((await submit(first, [first.x5c])).ok, true);
      const removed = await distrustCa(ledger, ca.id, "admin@sealbook.test");
      assert.ok(removed.removedAt);
      assert.equal(removed.signerCount, 1);
      const second = await signerCertificate(centre, { name: "CN=After" });
      assert.equal(certificateReason(rejection(await submit(second, [second.x5c]))), "untrusted");
      assert.equal((await submit(first, undefined)).ok, true, "a key registered before stays until revoked");
      await assert.rejects(ledger.db.execute(sql`delete from trusted_cas where id = ${ca.id}`), (error: Error) => /append-only/.test(String(error.cause ?? error)));
      await assert.rejects(ledger.db.execute(sql`update trusted_cas set removed_at = null where id = ${ca.id}`), (error: Error) => /only be distrusted, once/.test(String(error.cause ?? error)));
      await assert.rejects(ledger.db.execute(sql`update signer_certificates set subject = 'x'`), (error: Error) => /append-only/.test(String(error.cause ?? error)));
    });

    it("trusts only CA certificates that are valid now, once each", async () => {
      const leaf = await signerCertificate(root);
      await assert.rejects(addTrustedCa(ledger, leaf.cert.toString("pem"), "a"), (e: ProtocolError) => e.code === "invalid_request" && /not a CA certificate/.test(e.message));
      const expired = await rootCa("CN=Expired Root", { notBefore: new Date(Date.now() - 10 * DAY), notAfter: new Date(Date.now() - DAY) });
      await assert.rejects(addTrustedCa(ledger, expired.pem, "a"), /expired at/);
      await assert.rejects(addTrustedCa(ledger, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----", "a"), /not a readable X\.509 certificate/);
      const again = await addTrustedCa(ledger, root.pem, "someone else");
      assert.equal(again.created, false);
      assert.equal(again.ca.addedBy, "admin@sealbook.test");
    });

    it("registers a key from an uploaded signer certificate, and refuses one not for signing", async () => {
      const signer = await signerCertificate(root, { name: "CN=Uploaded Signer, O=Upload Org", keyAlg: "P-256" });
      const { signer: stored, created } = await registerSignerFromCertificate(ledger, { certificate: signer.cert.toString("pem") });
      assert.equal(created, true);
      assert.equal(stored.kid, await kidOf(signer));
      assert.equal(stored.label, "Uploaded Signer");
      assert.equal(stored.organization, "Upload Org");
      assert.equal(stored.revokedAt?.getTime(), signer.cert.notAfter.getTime());
      assert.equal((await submit(signer, undefined)).ok, true);
      const again = await registerSignerFromCertificate(ledger, { certificate: signer.cert.toString("pem"), label: "Other" });
      assert.equal(again.created, false);
      assert.equal(again.signer.label, "Uploaded Signer");
      const encrypting = await signerCertificate(root, { usages: x509.KeyUsageFlags.keyEncipherment });
      await assert.rejects(registerSignerFromCertificate(ledger, { certificate: encrypting.cert.toString("pem") }), /not for signing/);
    });

    it("still answers unknown_signer for an unknown key without x5c", async () => {
      const signer = await signerCertificate(root);
      const error = rejection(await submit(signer, undefined));
      assert.equal(error.code, "unknown_signer");
      assert.equal(error.details.certificate, undefined);
      await assertNotRegistered(signer);
    });
  });
}

/** The private CryptoKey of a test signer (to make it act as a would-be issuer). */
async function importPrivate(signer: TestSigner): Promise<CryptoKey> {
  const params = signer.privateJwk.kty === "OKP" ? { name: "Ed25519" } : { name: "ECDSA", namedCurve: "P-256" };
  return globalThis.crypto.subtle.importKey("jwk", signer.privateJwk as JsonWebKey, params, true, ["sign"]);
}
