/**
 * Certificate chains an attacker sends (issue 12, items 2, 3 and 8): x5c is base64 DER of bounded
 * size, read only when a centre is trusted; chains are built by key identifier with accepted keys
 * only, and a batch has a budget of certificate work; a signer certificate needs a signing purpose;
 * name constraints hold whether critical or not; and a distrusted centre's signers can be revoked.
 * Certificates are made with @peculiar/x509 (test/admin/support/pki.ts). The costs themselves are
 * measured by `npm run bench certs`, not here.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { CertificateWorkBudget, validateSignerChain } from "../../lib/ledger/signers/cert-chain";
import { CertificateChainError, checkCertificateKey } from "../../lib/ledger/signers/cert-rules";
import { openLedger, type LedgerContext } from "../../lib/ledger/context";
import { submitRecords } from "../../lib/ledger/ingest";
import { getSigner } from "../../lib/ledger/signers/signers";
import { addTrustedCa, distrustCa, getTrustedCa, revokeSignersOfCa } from "../../lib/ledger/signers/trusted-cas";
import { x509 } from "../../lib/ledger/signers/x509";
import { ProtocolError } from "../../lib/protocol/errors";
import { decodeRecord } from "../../lib/protocol/record";
import { signRecord } from "../../lib/protocol/sign";
import { publicSignerKey, signerKid } from "../../lib/protocol/signer-key";
import { certificateFor, intermediateCa, nameConstraintsExtension, rootCa, rsaPublicKeySpki, signerCertificate, x5cOf, type TestCa, type TestSigner } from "../admin/support/pki";
import { drivers, freshDatabase, skipReason } from "../support/db";
import { payload } from "../support/records";

const DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36";
const EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

async function kidOf(signer: TestSigner): Promise<string> {
  const { d: _d, ...publicPart } = signer.privateJwk;
  return signerKid(publicSignerKey(publicPart).publicJwk);
}

/** The reason a chain was refused, whether validateSignerChain threw it or ingest wrapped it. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CertificateChainError) return error.reason;
    throw error;
  }
  assert.fail("the chain should have been refused");
}

describe("the form of an x5c header", () => {
  const jwsWith = async (x5c: unknown) => {
    const signer = (await signerCertificate(await rootCa())).privateJwk;
    return signRecord(signer, payload(`0x${"00".repeat(32)}`), { x5c });
  };
  const code = async (x5c: unknown) => {
    try {
      decodeRecord(await jwsWith(x5c));
      return "accepted";
    } catch (error) {
      return (error as ProtocolError).code;
    }
  };

  it("refuses PEM text in x5c as invalid_jws, before anything parses it (RFC 7515 §4.1.6: base64 DER)", async () => {
    const ca = await rootCa();
    assert.equal(await code([ca.pem]), "invalid_jws");
    assert.equal(await code(["-----BEGIN CERTIFICATE-----".repeat(1700)]), "invalid_jws");
  });

  it("refuses more than 5 entries, an entry over 8 KiB of DER, base64url, and line breaks", async () => {
    const entry = x5cOf(await rootCa());
    assert.equal(await code([entry, entry, entry, entry, entry]), "accepted");
    assert.equal(await code([entry, entry, entry, entry, entry, entry]), "invalid_jws");
    assert.equal(await code([Buffer.alloc(8 * 1024 + 3).toString("base64")]), "invalid_jws");
    assert.equal(await code([Buffer.alloc(8 * 1024).toString("base64")]), "accepted");
    assert.equal(await code([Buffer.from([0xfb, 0xff, 0xfe]).toString("base64url")]), "invalid_jws");
    assert.equal(await code([`${entry.slice(0, 64)}\n${entry.slice(64)}`]), "invalid_jws");
  });
});

describe("chain rules that need no database", () => {
  it("reads no certificate while no centre is trusted", async () => {
    const garbage = Buffer.from("not a certificate at all").toString("base64");
    assert.equal(await refusal(validateSignerChain([garbage], [], new Date(), { kid: "k", alg: "EdDSA" })), "untrusted");
  });

  it("accepts EC P-256 and P-384, Ed25519 and RSA up to 4096 bits with e = 65537, and nothing else", async () => {
    const root = await rootCa();
    const withKey = async (spki: Uint8Array<ArrayBuffer>) => certificateFor("CN=Key test", root, new x509.PublicKey(spki));
    const generated = async (params: EcKeyGenParams | Algorithm) => {
      const keys = (await crypto.subtle.generateKey(params, true, ["sign", "verify"])) as CryptoKeyPair;
      return new Uint8Array(await crypto.subtle.exportKey("spki", keys.publicKey)) as Uint8Array<ArrayBuffer>;
    };
    const verdict = async (spki: Uint8Array<ArrayBuffer>) => {
      try {
        checkCertificateKey(await withKey(spki));
        return "accepted";
      } catch (error) {
        return (error as CertificateChainError).reason;
      }
    };
    assert.equal(await verdict(await generated({ name: "ECDSA", namedCurve: "P-256" })), "accepted");
    assert.equal(await verdict(await generated({ name: "ECDSA", namedCurve: "P-384" })), "accepted");
    assert.equal(await verdict(await generated({ name: "Ed25519" })), "accepted");
    assert.equal(await verdict(await generated({ name: "ECDSA", namedCurve: "P-521" })), "unsupported_key");
    assert.equal(await verdict(rsaPublicKeySpki(4096, 65537n)), "accepted");
    assert.equal(await verdict(rsaPublicKeySpki(4160, 65537n)), "unsupported_key");
    assert.equal(await verdict(rsaPublicKeySpki(3072, 3n)), "unsupported_key");
    assert.equal(await verdict(rsaPublicKeySpki(3072, (1n << 3071n) + 1n)), "unsupported_key");
  });
});

for (const driver of drivers) {
  const skip = await skipReason(driver);
  describe(`certificate chains an attacker sends, on ${driver}`, { skip: skip ?? false }, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let ledger: LedgerContext;
    let root: TestCa;

    before(async () => {
      db = await freshDatabase(driver);
      ledger = await openLedger(db, "cert-hardening");
      root = await rootCa("CN=Hardening Root, O=Sealbook tests");
      await addTrustedCa(ledger, root.pem, "admin@sealbook.test");
    });
    after(async () => db?.dispose());

    const recordOf = (signer: TestSigner, x5c: string[]) => signRecord(signer.privateJwk, payload(ledger.genesisRoot), { x5c });
    const submitAs = async (signer: TestSigner, x5c: string[], ctx: LedgerContext = ledger) => (await submitRecords(ctx, [await recordOf(signer, x5c)]))[0];
    const reasonOf = (result: Awaited<ReturnType<typeof submitAs>>) => {
      assert.equal(result.ok, false, "the record should have been rejected");
      const error = (result as { error: ProtocolError }).error;
      return (error.details.certificate as { reason?: string } | undefined)?.reason ?? error.code;
    };

    it("refuses a PEM x5c entry as invalid_jws even though a centre is trusted, and stores nothing", async () => {
      const signer = await signerCertificate(root);
      const [result] = await submitRecords(ledger, [await recordOf(signer, [signer.cert.toString("pem")])]);
      assert.equal(result.ok, false);
      assert.equal((result as { error: ProtocolError }).error.code, "invalid_jws");
      assert.equal(await getSigner(ledger, await kidOf(signer)), null);
    });

    it("tries one issuer per link: four intermediates claiming the issuer's name cost one signature check, not a search", async () => {
      const issuing = await intermediateCa(root, "CN=Hardening Issuing CA");
      const signer = await signerCertificate(issuing);
      const impostors = await Promise.all([1, 2, 3, 4].map(async () => x5cOf(await intermediateCa(root, "CN=Hardening Issuing CA"))));
      const budget = new CertificateWorkBudget(100);
      const anchors = [{ id: 1, fingerprint: "root", certificate: root.cert, keyId: (await x509.SubjectKeyIdentifierExtension.create(root.keys.publicKey)).keyId }];
      const reason = await refusal(validateSignerChain([signer.x5c, ...impostors], anchors, new Date(), { kid: await kidOf(signer), alg: "EdDSA" }, budget));
      assert.equal(reason, "untrusted", "no impostor has the issuing CA's key identifier");
      assert.equal(budget.left, 95, "five certificates parsed, and no signature checked at all");
      const full = new CertificateWorkBudget(100);
      const chain = await validateSignerChain([signer.x5c, x5cOf(issuing)], anchors, new Date(), { kid: await kidOf(signer), alg: "EdDSA" }, full);
      assert.equal(chain.path.length, 3);
      assert.equal(full.left, 96, "two certificates parsed, and one check per link: leaf by issuing CA, issuing CA by root");
    });

    it("refuses an intermediate whose RSA key has a huge exponent before checking any signature", async () => {
      const rootKeyId = (await x509.SubjectKeyIdentifierExtension.create(root.keys.publicKey)).keyId;
      const rsa = new x509.PublicKey(rsaPublicKeySpki(3072, (1n << 3071n) + 1n));
      const hostile = await certificateFor("CN=Hostile Issuing CA", root, rsa, { keyId: rootKeyId });
      const signer = await signerCertificate({ ...root, cert: hostile });
      assert.equal(reasonOf(await submitAs(signer, [signer.x5c, Buffer.from(hostile.rawData).toString("base64")])), "unsupported_key");
      assert.equal(await getSigner(ledger, await kidOf(signer)), null);
    });

    it("spends at most a batch's budget of certificate work, and answers the rest rate_limited", async () => {
      let issuer = root;
      const intermediates: TestCa[] = [];
      for (let i = 1; i <= 4; i++) {
        issuer = await intermediateCa(issuer, `CN=Budget CA ${i}`);
        intermediates.unshift(issuer);
      }
      const signers = await Promise.all(Array.from({ length: 22 }, (_, i) => signerCertificate(issuer, { name: `CN=Budget signer ${i}` })));
      const jws = await Promise.all(signers.map((s) => recordOf(s, [s.x5c, ...intermediates.map(x5cOf)])));
      const results = await submitRecords(ledger, jws);
      const codes = results.map((r) => (r.ok ? "accepted" : r.error.code));
      assert.equal(codes.filter((c) => c === "accepted").length, 20, "200 units pay for 20 chains of 5 certificates (5 parses and 5 checks each)");
      assert.equal(codes.filter((c) => c === "rate_limited").length, 2, codes.join(","));
      const late = codes.indexOf("rate_limited");
      assert.equal(await getSigner(ledger, await kidOf(signers[late])), null);
      assert.equal((await submitRecords(ledger, [jws[late]]))[0].ok, true, "sent again on its own, it is accepted");
    });

    it("refuses TLS server-only and client-only certificates, and accepts document signing and e-mail protection", async () => {
      const leafWith = (usages: string[], critical = true) => signerCertificate(root, { extensions: [new x509.ExtendedKeyUsageExtension(usages, critical)] });
      for (const usages of [[SERVER_AUTH], [CLIENT_AUTH], [SERVER_AUTH, CLIENT_AUTH]]) {
        const signer = await leafWith(usages);
        assert.equal(reasonOf(await submitAs(signer, [signer.x5c])), "not_for_signing", usages.join(","));
        assert.equal(await getSigner(ledger, await kidOf(signer)), null);
      }
      for (const usages of [[DOCUMENT_SIGNING], [EMAIL_PROTECTION, CLIENT_AUTH]]) {
        const signer = await leafWith(usages, false);
        assert.equal((await submitAs(signer, [signer.x5c])).ok, true, usages.join(","));
      }
    });

    it("accepts a configured national purpose, in the extended key usage or the certificate policies", async () => {
      const national = "1.2.3.4.5.6";
      const byEku = await signerCertificate(root, { extensions: [new x509.ExtendedKeyUsageExtension([national], false)] });
      assert.equal(reasonOf(await submitAs(byEku, [byEku.x5c])), "not_for_signing", "not allowed by default");
      const configured = { ...ledger, signingPurposes: [national] };
      assert.equal((await submitAs(byEku, [byEku.x5c], configured)).ok, true);
      const byPolicy = await signerCertificate(root, {
        extensions: [new x509.ExtendedKeyUsageExtension([CLIENT_AUTH], false), new x509.CertificatePolicyExtension([national], false)],
      });
      assert.equal((await submitAs(byPolicy, [byPolicy.x5c], configured)).ok, true);
    });

    it("enforces a CA's name constraints even when they are not critical", async () => {
      const constrained = await intermediateCa(root, "CN=Clinic CA, O=Example Clinic", {
        extensions: [nameConstraintsExtension({ permitted: [{ dn: "O=Example Clinic" }], excluded: [{ email: ".evil.example" }] }, false)],
      });
      const inside = await signerCertificate(constrained, { name: "O=Example Clinic, CN=Dr. Inside" });
      assert.equal((await submitAs(inside, [inside.x5c, x5cOf(constrained)])).ok, true);
      const outside = await signerCertificate(constrained, { name: "O=Other Clinic, CN=Dr. Outside" });
      assert.equal(reasonOf(await submitAs(outside, [outside.x5c, x5cOf(constrained)])), "name_constraints");
      const excluded = await signerCertificate(constrained, {
        name: "O=Example Clinic, CN=Dr. Excluded",
        extensions: [new x509.SubjectAlternativeNameExtension([{ type: "email", value: "dr@mail.evil.example" }])],
      });
      assert.equal(reasonOf(await submitAs(excluded, [excluded.x5c, x5cOf(constrained)])), "name_constraints");
      assert.equal(await getSigner(ledger, await kidOf(outside)), null);
    });

    it("says how many signers a distrusted centre registered, and revokes them on request", async () => {
      const centre = await rootCa("CN=Soon Distrusted CA");
      const { ca } = await addTrustedCa(ledger, centre.pem, "admin@sealbook.test");
      const signers = [await signerCertificate(centre), await signerCertificate(centre)];
      for (const s of signers) assert.equal((await submitAs(s, [s.x5c])).ok, true);
      await assert.rejects(revokeSignersOfCa(ledger, ca.id), (e: ProtocolError) => e.code === "invalid_request", "a trusted centre's signers stay");
      const distrusted = await distrustCa(ledger, ca.id, "admin@sealbook.test");
      assert.equal(distrusted.activeSignerCount, 2);
      const revoked = await revokeSignersOfCa(ledger, ca.id);
      assert.deepEqual(revoked.sort(), (await Promise.all(signers.map(kidOf))).sort());
      assert.equal((await getTrustedCa(ledger, ca.id)).activeSignerCount, 0);
      const again = await submitRecords(ledger, [await signRecord(signers[0].privateJwk, payload(ledger.genesisRoot))]);
      assert.equal(again[0].ok ? "accepted" : again[0].error.code, "revoked_signer");
    });
  });
}
