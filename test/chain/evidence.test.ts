/**
 * Evidence bundles (PROTOCOL §8) made from a real ledger (PGlite and PostgreSQL) anchored on a
 * local Hardhat node: a bundle across several blocks verifies against the chain; each corruption
 * fails at its own check; a public bundle reports the JWS checks as skipped; and the CLI writes,
 * reports on and verifies a bundle end to end.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { anchorSealedBlocks } from "../../lib/chain/anchoring/anchor-job";
import { installChainInfo } from "../../lib/chain/chain-info";
import { receiptDomain } from "../../lib/protocol/receipt";
import { readConfig } from "../../lib/config";
import { evidenceChunks, planEvidence, type EvidenceSelection } from "../../lib/ledger/evidence";
import { evidenceReceiptIssuer } from "../../lib/chain/evidence-receipts";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { submitRecords } from "../../lib/ledger/ingest";
import { readHead } from "../../lib/ledger/head";
import { parseEvidenceBundle, type EvidenceBundle } from "../../lib/protocol/evidence";
import type { Hash } from "../../lib/protocol/hex";
import { createReceiptSigner } from "../../lib/ledger/receipts";
import { verifyEvidence, type EvidenceVerifyResult } from "../../lib/watchdog/evidence";
import { anchoringEnv, type AnchoringEnv } from "../support/anchoring";
import { DEV_KEYS, startTestChain, type TestChain } from "../support/chain";
import { drivers, skipReason } from "../support/db";
import { newKeyPair, signedRecord } from "../support/records";

let chain: TestChain;
before(async () => {
  chain = await startTestChain();
});
after(async () => {
  await chain?.stop();
});

const failedChecks = (r: EvidenceVerifyResult) => [...new Set(r.checks.filter((c) => c.status === "fail").map((c) => c.check))].sort();
const clone = (b: EvidenceBundle): EvidenceBundle => JSON.parse(JSON.stringify(b));

async function writeBundle(env: AnchoringEnv, selection: EvidenceSelection, isPublic = false): Promise<EvidenceBundle> {
  const config = readConfig({ LEDGER_ID: env.ledger.ledgerId, RPC_URL: chain.rpcUrl, REGISTRY_ADDRESS: env.registry, RECEIPT_PRIVATE_KEY: DEV_KEYS.receiptSigner });
  installChainInfo({ chainId: 31337, registry: env.registry, rpcUrl: chain.rpcUrl });
  const { issuer, unavailable } = await evidenceReceiptIssuer(config);
  assert.equal(unavailable, null);
  const plan = await planEvidence(env.ledger, selection);
  let text = "";
  for await (const chunk of evidenceChunks(env.ledger, plan, { public: isPublic, receipts: issuer })) text += chunk;
  return parseEvidenceBundle(JSON.parse(text));
}

/** Submits `count` records against the head and seals them; returns their entry hashes. */
async function sealBlock(env: AnchoringEnv, count: number): Promise<Hash[]> {
  const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
  const results = await submitRecords(env.ledger, await Promise.all(Array.from({ length: count }, () => signedRecord(env.privateJwk, head.root))));
  await sealPendingEntries(env.ledger);
  return results.map((r) => {
    if (!r.ok) throw new Error(`rejected: ${JSON.stringify(r)}`);
    return r.entryHash;
  });
}

for (const driver of drivers) {
  describe(`evidence bundles on ${driver}`, async () => {
    const skip = await skipReason(driver);
    if (skip) {
      it(`is skipped: ${skip}`, { skip }, () => {});
      return;
    }
    let env: AnchoringEnv;
    let blockEntries: Hash[][];
    let good: EvidenceBundle;
    before(async () => {
      env = await anchoringEnv(driver, chain);
      blockEntries = [];
      for (const count of [3, 2, 4, 1]) blockEntries.push(await sealBlock(env, count));
      const pass = await anchorSealedBlocks(env.newJob());
      assert.ok(pass.outcome === "anchored" || pass.outcome === "up_to_date", JSON.stringify(pass.outcome));
      await sealBlock(env, 2); // block 5, sealed but not anchored
      // Records of blocks 1 and 3: block 2 is carried only as a header, for the chain of blocks.
      good = await writeBundle(env, { by: "entries", entryHashes: [blockEntries[2][1], blockEntries[0][0], blockEntries[0][2]] });
    });
    after(async () => {
      await env?.db.dispose();
    });

    it("writes the records in block order, the headers from the lowest record's block to the anchor, and the anchor", () => {
      assert.equal(good.type, "sealbook.evidence");
      assert.deepEqual(good.items.map((i) => i.bundle.block.height), [1, 1, 3]);
      assert.deepEqual(good.blocks.map((b) => b.height), [1, 2, 3]);
      assert.deepEqual(good.anchors.map((a) => a.height), [1, 3]);
      assert.ok(good.items.every((i) => i.jws && i.receipt && i.signer.kid === env.kid));
    });

    it("verifies against the chain: every check passes, none is skipped", async () => {
      const result = await verifyEvidence(good, { rpcUrl: chain.rpcUrl });
      assert.deepEqual(failedChecks(result), []);
      assert.equal(result.counts.skipped, 0, JSON.stringify(result.checks.filter((c) => c.status === "skipped")));
      assert.deepEqual([result.verdict, result.exitCode], ["verified", 0]);
    });

    it("counts and leaves out records that are pending or in a block not anchored yet", async () => {
      const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
      const [pending] = await submitRecords(env.ledger, [await signedRecord(env.privateJwk, head.root)]);
      assert.ok(pending.ok);
      const plan = await planEvidence(env.ledger, { by: "signer", kid: env.kid, from: new Date(0), to: new Date(Date.now() + 60_000) });
      assert.deepEqual([plan.included, plan.unanchored, plan.pending, plan.anchorHeight, plan.blockCount], [10, 2, 1, 4, 4]);
      const byRecord = await planEvidence(env.ledger, { by: "records", recordIds: ["00000000-0000-4000-8000-00000000dead"] });
      assert.deepEqual(byRecord.unknown, ["00000000-0000-4000-8000-00000000dead"]);
    });

    it("fails at entry_hash when a byte of a JWS is changed", async () => {
      const bad = clone(good);
      const jws = bad.items[0].jws!;
      bad.items[0].jws = `${jws.slice(0, 40)}${jws[40] === "A" ? "B" : "A"}${jws.slice(41)}`;
      const result = await verifyEvidence(bad, { rpcUrl: chain.rpcUrl });
      const first = result.checks.find((c) => c.status === "fail")!;
      assert.equal(first.check, "entry_hash");
      assert.equal(first.entryHash, good.items[0].entryHash);
      assert.equal(result.exitCode, 1);
    });

    it("fails at merkle_proof when a sibling is changed", async () => {
      const bad = clone(good);
      const proof = bad.items[2].bundle.proof;
      proof[0] = `${proof[0].slice(0, -1)}${proof[0].endsWith("0") ? "1" : "0"}` as Hash;
      assert.deepEqual(failedChecks(await verifyEvidence(bad, { rpcUrl: chain.rpcUrl })), ["merkle_proof"]);
    });

    it("fails at blocks_chain when a header is removed from the middle of the chain", async () => {
      const bad = clone(good);
      bad.blocks.splice(1, 1);
      const result = await verifyEvidence(bad, { rpcUrl: chain.rpcUrl });
      assert.deepEqual(failedChecks(result), ["blocks_chain"]);
      assert.match(result.checks.find((c) => c.check === "blocks_chain")!.message, /gap: block 1 is followed by block 3/);
    });

    it("fails at anchor_root and root_on_chain when a block's root is one the chain does not hold", async () => {
      const bad = clone(good);
      const forged = `0x${"ab".repeat(32)}` as Hash;
      bad.blocks[0].root = forged;
      for (const item of bad.items.filter((i) => i.bundle.block.height === 1)) item.bundle.block.root = forged;
      const failed = failedChecks(await verifyEvidence(bad, { rpcUrl: chain.rpcUrl }));
      assert.ok(failed.includes("anchor_root") && failed.includes("root_on_chain"), failed.join());
    });

    it("fails at signer_kid when the signer's key is not the key its kid names", async () => {
      const bad = clone(good);
      bad.items[1].signer.jwk = (await newKeyPair("EdDSA")).publicJwk as Record<string, unknown>;
      const failed = failedChecks(await verifyEvidence(bad, { rpcUrl: chain.rpcUrl }));
      assert.ok(failed.includes("signer_kid"), failed.join());
      assert.deepEqual(failed, ["signature", "signer_kid"], "the signature cannot verify under another key either");
    });

    it("fails at signer_validity when the signer was revoked before the record was accepted", async () => {
      const bad = clone(good);
      bad.items[0].signer.revokedAt = new Date(Date.parse(bad.items[0].acceptedAt) - 1000).toISOString();
      assert.deepEqual(failedChecks(await verifyEvidence(bad, { rpcUrl: chain.rpcUrl })), ["signer_validity"]);
    });

    it("fails at receipt_signer_role when the receipt was signed by an account without the role", async () => {
      const bad = clone(good);
      const message = bad.items[0].receipt!.message as { entryHash: Hash; prevRoot: Hash; acceptedAt: number; sealBy: number };
      const forged = await createReceiptSigner(DEV_KEYS.intruder, receiptDomain(31337, env.registry)).sign(message);
      bad.items[0].receipt = JSON.parse(JSON.stringify(forged));
      assert.deepEqual(failedChecks(await verifyEvidence(bad, { rpcUrl: chain.rpcUrl })), ["receipt_signer_role"]);
    });

    it("verifies a public bundle with the JWS checks reported as skipped, never passed", async () => {
      const pub = await writeBundle(env, { by: "entries", entryHashes: [blockEntries[1][0], blockEntries[3][0]] }, true);
      assert.ok(pub.items.every((i) => i.jws === undefined));
      const result = await verifyEvidence(pub, { rpcUrl: chain.rpcUrl });
      assert.deepEqual(failedChecks(result), []);
      const skipped = [...new Set(result.checks.filter((c) => c.status === "skipped").map((c) => c.check))].sort();
      assert.deepEqual(skipped, ["entry_hash", "prev_root", "signature"]);
      assert.deepEqual([result.verdict, result.exitCode], ["verified", 0]);
    });

    it("offline, reports the chain checks as skipped and exits 3, or 0 only with --offline", async () => {
      const noRpc = await verifyEvidence(good, {});
      assert.deepEqual([noRpc.verdict, noRpc.exitCode], ["incomplete", 3]);
      const offline = await verifyEvidence(good, { offline: true });
      assert.equal(offline.exitCode, 0);
      const skipped = [...new Set(offline.checks.filter((c) => c.status === "skipped").map((c) => c.check))].sort();
      assert.deepEqual(skipped, ["anchor_root", "chain_linkage", "receipt_signer_role", "root_on_chain"]);
    });

    if (driver === "postgres") {
      it("sealbook evidence writes a bundle and a report that sealbook verify checks, one line per check", async () => {
        const dir = await mkdtemp(path.join(tmpdir(), "sealbook-evidence-"));
        try {
          const out = path.join(dir, "case.sealbook.json");
          const report = path.join(dir, "case.html");
          const env2 = { LEDGER_ID: env.ledger.ledgerId, DATABASE_URL: env.db.url!, RPC_URL: chain.rpcUrl, REGISTRY_ADDRESS: env.registry, RECEIPT_PRIVATE_KEY: DEV_KEYS.receiptSigner, SEALBOOK_DEMO: "0" };
          const made = await cli(["evidence", "--signer", env.kid, "--from", "2000-01-01T00:00:00Z", "--to", "2100-01-01T00:00:00Z", "--out", out, "--report", report, "--json"], env2);
          assert.equal(made.code, 0, made.stderr);
          assert.equal(JSON.parse(made.stdout).included, 10);
          assert.match(made.stderr, /left out: 1 not sealed yet; 2 in blocks not anchored yet/);
          const html = await readFile(report, "utf8");
          assert.equal(html.match(/<section class="record"/g)?.length, 10);
          assert.equal(html.match(/<svg/g)?.length, 10, "a QR code per record");
          assert.match(html, /What this does not prove/);
          const checked = await cli(["verify", out, "--rpc", chain.rpcUrl], {});
          assert.equal(checked.code, 0, checked.stdout + checked.stderr);
          const lines = checked.stdout.split("\n").filter((l) => /^ {2}(PASS|FAIL|SKIP) /.test(l));
          assert.ok(lines.length > 10 * 12 && lines.every((l) => l.startsWith("  PASS")), checked.stdout.slice(0, 2000));
          const offline = await cli(["verify", out, "--json"], {});
          assert.equal(offline.code, 3);
          assert.equal(JSON.parse(offline.stdout).verdict, "incomplete");
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      });
    }
  });
}

/** Runs `sealbook` as a child with exactly these Sealbook settings. */
function cli(args: string[], settings: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) if (/^(LEDGER_ID|DATABASE_URL|SEALBOOK_.*|PORT|RPC_URL|NEXT_PUBLIC_RPC_URL|REGISTRY_ADDRESS|.*_PRIVATE_KEY)$/.test(name)) delete env[name];
  const child = spawn(process.execPath, [path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs"), "scripts/sealbook.ts", ...args], { env: { ...env, ...settings } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
