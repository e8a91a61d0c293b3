/**
 * Test certification centres and signer certificates made with @peculiar/x509 and WebCrypto:
 * a root CA, an intermediate, and leaves with whatever key usage, validity and key a test needs.
 * Every key here is generated per run and thrown away. Not a test file itself.
 */
import { AsnConvert } from "@peculiar/asn1-schema";
import { GeneralName, GeneralSubtree, GeneralSubtrees, Name, NameConstraints } from "@peculiar/asn1-x509";
import { exportJWK, type JWK } from "jose";
import { x509 } from "../../../lib/ledger/signers/x509";

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
  /** How it signs the certificates it issues (ECDSA P-256 with SHA-256 unless said). */
  signingAlgorithm?: Algorithm | EcdsaParams;
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
export async function rootCa(
  name = "CN=Sealbook Test Root CA, O=Sealbook tests",
  options: ValidityOptions & { pathLength?: number; ca?: boolean; extensions?: x509.Extension[] } = {},
): Promise<TestCa> {
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
      ...(options.extensions ?? []),
    ],
  });
  return { cert, keys, pem: cert.toString("pem") };
}

/** An intermediate CA certified by `issuer`. */
export async function intermediateCa(
  issuer: TestCa,
  name = "CN=Sealbook Test Issuing CA, O=Sealbook tests",
  options: ValidityOptions & { pathLength?: number; extensions?: x509.Extension[]; keys?: CryptoKeyPair; signingAlgorithm?: Algorithm } = {},
): Promise<TestCa> {
  const keys = options.keys ?? ((await subtle.generateKey(ECDSA, true, ["sign", "verify"])) as CryptoKeyPair);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: name,
    issuer: issuer.cert.subject,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 180 * DAY),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: issuer.signingAlgorithm ?? ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, options.pathLength, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
      ...(options.extensions ?? []),
    ],
  });
  return { cert, keys, pem: cert.toString("pem"), signingAlgorithm: options.signingAlgorithm };
}

export interface LeafOptions extends ValidityOptions {
  name?: string;
  /** Key usage flags (default digitalSignature | nonRepudiation); null leaves the extension out. */
  usages?: number | null;
  /** Ed25519 (default) or P-256. */
  keyAlg?: "Ed25519" | "P-256";
  /** Mark it a CA (a leaf must not be one). */
  ca?: boolean;
  /** More extensions (extKeyUsage, subjectAltName, certificatePolicies, …). */
  extensions?: x509.Extension[];
}

/** A signer certificate certified by `issuer`, valid from an hour ago for 30 days unless told otherwise. */
export async function signerCertificate(issuer: TestCa, options: LeafOptions = {}): Promise<TestSigner> {
  const keyParams = options.keyAlg === "P-256" ? { name: "ECDSA", namedCurve: "P-256" } : { name: "Ed25519" };
  const keys = (await subtle.generateKey(keyParams, true, ["sign", "verify"])) as CryptoKeyPair;
  const usages = options.usages === undefined ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation : options.usages;
  const extensions: x509.Extension[] = [await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey)];
  if (usages !== null) extensions.push(new x509.KeyUsagesExtension(usages, true));
  if (options.ca) extensions.push(new x509.BasicConstraintsExtension(true, undefined, true));
  extensions.push(...(options.extensions ?? []));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: options.name ?? "CN=Dr. Ada Example, O=Example Clinic",
    issuer: issuer.cert.subject,
    notBefore: options.notBefore ?? new Date(Date.now() - 3_600_000),
    notAfter: options.notAfter ?? new Date(Date.now() + 30 * DAY),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: issuer.signingAlgorithm ?? ECDSA,
    extensions,
  });
  return { cert, privateJwk: await exportJWK(keys.privateKey), x5c: Buffer.from(cert.rawData).toString("base64") };
}

/** A certificate as x5c (base64 DER). */
export const x5cOf = (ca: TestCa | TestSigner) => Buffer.from(ca.cert.rawData).toString("base64");

/** A name subtree for nameConstraintsExtension: a directory name (DN string), an e-mail domain or mailbox, or a DNS domain. */
export type Subtree = { dn: string } | { email: string } | { dns: string };

/** A nameConstraints extension (RFC 5280 §4.2.1.10), critical or not. */
export function nameConstraintsExtension(subtrees: { permitted?: Subtree[]; excluded?: Subtree[] }, critical = false): x509.Extension {
  const general = (s: Subtree) =>
    new GeneralName(
      "dn" in s ? { directoryName: AsnConvert.parse(new x509.Name(s.dn).toArrayBuffer(), Name) } : "email" in s ? { rfc822Name: s.email } : { dNSName: s.dns },
    );
  const trees = (list?: Subtree[]) => (list ? new GeneralSubtrees(list.map((s) => new GeneralSubtree({ base: general(s) }))) : undefined);
  const value = AsnConvert.serialize(new NameConstraints({ permittedSubtrees: trees(subtrees.permitted), excludedSubtrees: trees(subtrees.excluded) }));
  return new x509.Extension("2.5.29.30", critical, value);
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}
const der = (tag: number, body: number[]) => [tag, ...derLength(body.length), ...body];
function derInteger(value: bigint): number[] {
  const bytes: number[] = [];
  for (let n = value; n > 0n; n >>= 8n) bytes.unshift(Number(n & 0xffn));
  if (bytes.length === 0 || bytes[0] & 0x80) bytes.unshift(0);
  return der(0x02, bytes);
}
function randomOdd(bits: number): bigint {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(bits / 8));
  bytes[0] |= 0x80;
  bytes[bytes.length - 1] |= 1;
  return BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

/**
 * An RSA public key (SPKI DER) with a random `bits`-bit modulus and the given exponent. Nobody holds
 * its private key: it is the kind of key an attacker puts in an intermediate so that checking a
 * signature against it is slow (a huge exponent), whether or not the signature is right.
 */
export function rsaPublicKeySpki(bits: number, exponent: bigint): Uint8Array<ArrayBuffer> {
  const rsaEncryption = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
  const rsaKey = der(0x30, [...derInteger(randomOdd(bits)), ...derInteger(exponent)]);
  return Uint8Array.from(der(0x30, [...rsaEncryption, ...der(0x03, [0x00, ...rsaKey])]));
}

/** A certificate that claims `issuer` (by name and key identifier) and holds `publicKey`, signed by `signer` (any CA's key: the signature need not be right). */
export async function certificateFor(
  name: string,
  issuer: TestCa,
  publicKey: x509.PublicKey | CryptoKey,
  options: { signer?: TestCa; ca?: boolean; keyId?: string } = {},
): Promise<x509.X509Certificate> {
  const signer = options.signer ?? issuer;
  return x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: name,
    issuer: issuer.cert.subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    publicKey,
    signingKey: signer.keys.privateKey,
    signingAlgorithm: signer.signingAlgorithm ?? ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(options.ca ?? true, undefined, true),
      new x509.KeyUsagesExtension(options.ca === false ? x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.keyCertSign, true),
      ...(options.keyId ? [new x509.SubjectKeyIdentifierExtension(options.keyId)] : []),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
}
