/**
 * Test certification centres and signer certificates made with @peculiar/x509 and WebCrypto:
 * a root CA, an intermediate, and leaves with whatever key usage, validity and key a test needs.
 * Every key here is generated per run and thrown away. Not a test file itself.
 */
import { exportJWK, type JWK } from "jose";
import { x509 } from "../../../lib/ledger/x509";

const subtle = globalThis.crypto.subtle;
const ECDSA = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY = 86_400_000;
let serial = 1;
const nextSerial = () => (serial++).toString(16).padStart(2, "0");

/** A CA: its certificate and private key. */
export interface TestCa {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  pem: string;
}

/** A signer: its certificate, its key pair, and its private JWK for signing records. */
export interface TestSigner {
  cert: x509.X509Certificate;
  privateJwk: JWK;
  /** The certificate as an x5c entry (base64 DER). */
  x5c: string;
}

export interface ValidityOptions {
  notBefore?: Date;
  notAfter?: Date;
}

/** A self-signed root CA (P-256), valid from yesterday for a year unless told otherwise. */
export async function rootCa(name = "CN=Sealbook Test Root CA, O=Sealbook tests", options: ValidityOptions & { pathLength?: number; ca?: boolean } = {}): Promise<TestCa> {
  const keys = (await subtle.generateKey(ECDSA, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 365 * DAY),
    keys,
    signingAlgorithm: ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(options.ca ?? true, options.pathLength, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys, pem: cert.toString("pem") };
}

/** An intermediate CA certified by `issuer`. */
export async function intermediateCa(issuer: TestCa, name = "CN=Sealbook Test Issuing CA, O=Sealbook tests", options: ValidityOptions & { pathLength?: number } = {}): Promise<TestCa> {
  const keys = (await subtle.generateKey(ECDSA, true, ["sign", "verify"])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: name,
    issuer: issuer.cert.subject,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 180 * DAY),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, options.pathLength, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return { cert, keys, pem: cert.toString("pem") };
}

export interface LeafOptions extends ValidityOptions {
  name?: string;
  /** Key usage flags (default digitalSignature | nonRepudiation); null leaves the extension out. */
  usages?: number | null;
  /** Ed25519 (default) or P-256. */
  keyAlg?: "Ed25519" | "P-256";
  /** Mark it a CA (a leaf must not be one). */
  ca?: boolean;
}

/** A signer certificate certified by `issuer`, valid from an hour ago for 30 days unless told otherwise. */
export async function signerCertificate(issuer: TestCa, options: LeafOptions = {}): Promise<TestSigner> {
  const keyParams = options.keyAlg === "P-256" ? { name: "ECDSA", namedCurve: "P-256" } : { name: "Ed25519" };
  const keys = (await subtle.generateKey(keyParams, true, ["sign", "verify"])) as CryptoKeyPair;
  const usages = options.usages === undefined ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation : options.usages;
  const extensions: x509.Extension[] = [await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)];
  if (usages !== null) extensions.push(new x509.KeyUsagesExtension(usages, true));
  if (options.ca) extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: options.name ?? "CN=Dr. Ada Example, O=Example Clinic",
    issuer: issuer.cert.subject,
    notBefore: options.notBefore ?? new Date(Date.now() - 3_600_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 30 * DAY),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ECDSA,
    extensions,
  });
  return { cert, privateJwk: await exportJWK(keys.privateKey), x5c: Buffer.from(cert.rawData).toString("base64") };
}

/** A certificate as x5c (base64 DER). */
export const x5cOf = (ca: TestCa | TestSigner) => Buffer.from(ca.cert.rawData).toString("base64");
