/**
 * `npm run bench certs`: what a hostile `x5c` header costs the ledger (issue 12, items 2 and 3),
 * as a ratio to a batch of records with bad Ed25519 signatures from a registered key, measured in
 * the same run, in process, on PGlite (the database does nothing in any of these: every record is
 * refused). Each batch holds `--records=N` records (100 by default), each one distinct.
 *
 * - `pem-flood`: each record's x5c is one entry of ~1,700 repetitions of `-----BEGIN CERTIFICATE-----`
 *   (the largest that fits in 64 KiB), and no centre is trusted. Before the fix a regular
 *   expression in the PEM reader ran on it; now the header's form is refused as invalid_jws.
 * - `hostile-chain`: a centre is trusted; each record carries a leaf and 4 intermediates that all
 *   claim the leaf's issuer (name and key identifier), with RSA-3072 keys of 3,072-bit exponents.
 *   Before the fix every intermediate's signature was tried (~9 ms each); now the key is refused
 *   before any signature is checked.
 * - `honest-chain`: a centre is trusted; each record brings a new signer with a leaf and one
 *   intermediate (registered, so the database does work here), for scale.
 *
 * Figures from before the fix: run this file against the previous lib/ (`git stash` or a checkout
 * of lib/ from before issue 12); it uses only APIs both have. The README quotes both runs.
 */
import { cpus, loadavg } from "node:os";
import { openDatabase } from "../db/client";
import { openLedger, type LedgerContext } from "../lib/ledger/context";
import { submitRecords } from "../lib/ledger/ingest";
import { registerSigner } from "../lib/ledger/signers/signers";
import { addTrustedCa } from "../lib/ledger/signers/trusted-cas";
import { x509 } from "../lib/ledger/signers/x509";
import { signRecord } from "../lib/protocol/sign";
import { certificateFor, intermediateCa, rootCa, rsaPublicKeySpki, signerCertificate, x5cOf } from "../test/admin/support/pki";
import { payload } from "../test/support/records";
import { round3, type BenchResult, type BenchRow } from "./harness";

const numberArg = (args: string[], name: string, fallback: number) => Number(args.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);

/** Bad-signature records from one registered Ed25519 key: the reference cost of a refused record. */
async function badSignatureBatch(ledger: LedgerContext, count: number): Promise<string[]> {
  const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const privateJwk = await crypto.subtle.exportKey("jwk", keys.privateKey);
  const { d: _d, ...publicJwk } = privateJwk;
  await registerSigner(ledger, { publicJwk, label: "bench" });
  return Promise.all(
    Array.from({ length: count }, async () => {
      const jws = await signRecord(privateJwk, payload(ledger.genesisRoot));
      const [h, p, s] = jws.split(".");
      return `${h}.${p}.${s[0] === "A" ? "B" : "A"}${s.slice(1)}`;
    }),
  );
}

async function pemFloodBatch(ledger: LedgerContext, count: number): Promise<string[]> {
  const flood = "-----BEGIN CERTIFICATE-----".repeat(1700);
  return Promise.all(
    Array.from({ length: count }, async () => {
      const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
      return signRecord(await crypto.subtle.exportKey("jwk", keys.privateKey), payload(ledger.genesisRoot), { x5c: [flood] });
    }),
  );
}

async function hostileChainBatch(ledger: LedgerContext, count: number): Promise<string[]> {
  const attacker = await rootCa("CN=Attacker Issuing CA");
  const attackerKeyId = (await x509.SubjectKeyIdentifierExtension.create(attacker.keys.publicKey)).keyId;
  const intermediates = await Promise.all(
    [1, 2, 3, 4].map(async () =>
      x5cOf({ cert: await certificateFor(attacker.cert.subject, attacker, new x509.PublicKey(rsaPublicKeySpki(3072, (1n << 3071n) + 1n)), { keyId: attackerKeyId }) } as never),
    ),
  );
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const leaf = await signerCertificate(attacker, { name: `CN=Hostile ${i}` });
      return signRecord(leaf.privateJwk, payload(ledger.genesisRoot), { x5c: [leaf.x5c, ...intermediates] });
    }),
  );
}

async function honestChainBatch(ledger: LedgerContext, count: number, root: Awaited<ReturnType<typeof rootCa>>): Promise<string[]> {
  const issuing = await intermediateCa(root, "CN=Bench Issuing CA");
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const leaf = await signerCertificate(issuing, { name: `CN=Honest ${i}` });
      return signRecord(leaf.privateJwk, payload(ledger.genesisRoot), { x5c: [leaf.x5c, x5cOf(issuing)] });
    }),
  );
}

/** Submits `jws` as one batch and returns the wall time and the process's CPU time, in ms, and the answers' codes. */
async function measure(ledger: LedgerContext, jws: string[]) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const results = await submitRecords(ledger, jws);
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const codes = [...new Set(results.map((r) => (r.ok ? "accepted" : r.error.code)))].join(", ");
  return { wallMs, cpuMs: (used.user + used.system) / 1000, codes };
}

export async function run(args: string[]): Promise<BenchResult> {
  const count = numberArg(args, "records", 100);
  const handle = await openDatabase({ dataDir: "memory://" });
  try {
    const ledger = await openLedger(handle, "bench-certs");
    const reference = await measure(ledger, await badSignatureBatch(ledger, count));
    const flood = await measure(ledger, await pemFloodBatch(ledger, count));
    const root = await rootCa("CN=Bench Root");
    await addTrustedCa(ledger, root.pem, "bench");
    const hostile = await measure(ledger, await hostileChainBatch(ledger, count));
    const honest = await measure(ledger, await honestChainBatch(ledger, count, root));
    const row = (name: string, m: typeof reference): BenchRow => ({
      batch: name,
      records: count,
      "wall ms": round3(m.wallMs),
      "CPU ms": round3(m.cpuMs),
      "CPU ms per record": round3(m.cpuMs / count),
      "× bad Ed25519": round3(m.cpuMs / reference.cpuMs),
      answers: m.codes,
    });
    return {
      title: `hostile x5c headers against bad Ed25519 signatures, ${count} records a batch`,
      rows: [row("bad Ed25519 signatures (reference)", reference), row("pem-flood, no trusted CA", flood), row("hostile-chain, RSA huge exponents", hostile), row("honest-chain, new signers", honest)],
      notes: [
        `Target: a hostile batch costs at most a few times the reference (before issue 12: pem-flood and hostile-chain cost hundreds of times more).`,
        `Load average ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores; ratios are CPU time of this process, measured in the same run.`,
      ],
    };
  } finally {
    await handle.close();
  }
}
