/**
 * `sealbook verify`: PROTOCOL §5 on proof bundles and §6 on receipts, good and tampered, offline
 * and against a real Hardhat node; the vectors' receipt; and the exit code policy (skipped is not
 * passed). Real bundles and receipts come from the API of a ledger on PostgreSQL.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import type { Address } from "viem";
import { parseReceipt, receiptDomain, type SignedReceipt } from "../../lib/protocol/receipt";
import { parseProofBundle, type ProofBundle } from "../../lib/protocol/bundle";
import { genesisRootOf } from "../../lib/protocol/hash";
import type { Hash } from "../../lib/protocol/hex";
import type { RegistryReader } from "../../lib/chain/registry/reader";
import { createReceiptSigner } from "../../lib/ledger/receipts";
import { verifyBundleAndReceipt, type VerifyReport } from "../../lib/watchdog/verify";
import { api } from "../support/api";
import { DEV_KEYS, startTestChain, type TestChain } from "../support/chain";
import { skipReason } from "../support/db";
import { vectors } from "../support/vectors";
import { watchdogPort } from "./support/portal";
import { ledgerScenario, sealbookCli, type Scenario } from "./support/scenario";

const skip = await skipReason("postgres");

/** The vectors' block 1 as a proof bundle for record 0, sealed two minutes after the receipt's acceptedAt. */
const vectorBundle: ProofBundle = parseProofBundle({
  version: 1,
  ledgerId: vectors.ledgerId,
  entryHash: vectors.records[0].entryHash,
  block: { height: 1, root: vectors.block1.root, prevRoot: vectors.block1.prevRoot, entryCount: 5, sealedAt: "2026-11-22T10:02:00.000Z" },
  proof: vectors.block1.proofs[vectors.records[0].entryHash],
  anchor: { chainId: 31337, registry: vectors.receipt.domain.verifyingContract, txHash: `0x${"11".repeat(32)}`, blockNumber: 2 },
});

const steps = (report: VerifyReport) => report.steps.map((s) => `${"check" in s ? `receipt/${s.check}` : s.step}:${s.status}`);
const failed = (report: VerifyReport) => report.steps.filter((s) => s.status === "fail").map((s) => ("check" in s ? `receipt/${s.check}` : s.step));

describe("verifying the vectors offline", () => {
  it("passes every offline step of the vectors' bundle, record and receipt, and exits 0 only with --offline", async () => {
    const receipt = parseReceipt(vectors.receipt);
    const offline = await verifyBundleAndReceipt({ bundle: vectorBundle, jws: vectors.records[0].jws, receipt, offline: true });
    assert.deepEqual(steps(offline), [
      "entry_hash:pass",
      "prev_root:pass",
      "merkle_proof:pass",
      "root_on_chain:skipped",
      "receipt/signature:pass",
      "receipt/entry:pass",
      "receipt/block:pass",
      "receipt/deadline:pass",
      "receipt/registry:pass",
      "receipt/signer_role:skipped",
    ]);
    assert.deepEqual([offline.verdict, offline.exitCode], ["verified", 0]);
    const noRpc = await verifyBundleAndReceipt({ bundle: vectorBundle, jws: vectors.records[0].jws, receipt });
    assert.deepEqual([noRpc.verdict, noRpc.exitCode], ["incomplete", 3], "skipped chain steps are not a pass");
    assert.match(noRpc.steps.find((s) => s.step === "root_on_chain")!.message, /No blockchain connection was given/);
  });

  it("with --registry, fails a bundle naming another registry, or a registry whose rootOf(0) is another ledger's genesis root", async () => {
    const named = vectorBundle.anchor!.registry as Address;
    const fakeChain = (genesis: Hash) => (): RegistryReader => ({
      registry: named,
      chainId: async () => 31337,
      deployed: async () => true,
      genesisRoot: async () => genesis,
      latestHeight: async () => 1,
      readRoot: async (h) => (h === 0 ? genesis : h === 1 ? vectors.block1.root : vectors.block1.prevRoot),
      rootsOf: async (heights) => new Map(heights.map((h) => [h, h === 0 ? genesis : h === 1 ? vectors.block1.root : vectors.block1.prevRoot])),
      isReceiptSigner: async () => true,
    });
    const other = "0x000000000000000000000000000000000000dEaD" as Address;
    const elsewhere = await verifyBundleAndReceipt({ bundle: vectorBundle, offline: true, registry: other });
    assert.deepEqual(failed(elsewhere), ["root_on_chain"]);
    const genesis = genesisRootOf(vectorBundle.ledgerId);
    const foreign = await verifyBundleAndReceipt({ bundle: vectorBundle, rpcUrl: "http://rpc.invalid", registry: named }, fakeChain(genesisRootOf("another-ledger")));
    assert.deepEqual(failed(foreign), ["root_on_chain"]);
    assert.match(foreign.steps.find((s) => s.step === "root_on_chain")!.message, /does not belong to ledger/);
    const trusted = await verifyBundleAndReceipt({ bundle: vectorBundle, rpcUrl: "http://rpc.invalid", registry: named }, fakeChain(genesis));
    assert.deepEqual([trusted.verdict, failed(trusted)], ["verified", []]);
    const untold = await verifyBundleAndReceipt({ bundle: vectorBundle, rpcUrl: "http://rpc.invalid" }, fakeChain(genesis));
    assert.match(untold.steps.find((s) => s.step === "root_on_chain")!.message, /the registry the bundle names: give --registry/);
  });

  it("fails a receipt sealed after its sealBy, and probes that must fail: a bit flip, a swapped root, an extra sibling", async () => {
    const receipt = parseReceipt(vectors.receipt);
    const late = await verifyBundleAndReceipt({ bundle: { ...vectorBundle, block: { ...vectorBundle.block, sealedAt: "2026-11-22T10:05:01.000Z" } }, receipt, offline: true });
    assert.deepEqual(failed(late), ["receipt/deadline"]);
    assert.equal(late.exitCode, 1);
    const flipped = vectorBundle.proof.map((h, i) => (i === 0 ? (`${h.slice(0, -1)}${h.endsWith("0") ? "1" : "0"}` as Hash) : h));
    for (const bundle of [
      { ...vectorBundle, proof: flipped },
      { ...vectorBundle, block: { ...vectorBundle.block, root: vectors.trees[2].root } },
      { ...vectorBundle, proof: [...vectorBundle.proof, vectors.trees[0].root] },
    ]) {
      const report = await verifyBundleAndReceipt({ bundle, offline: true });
      assert.deepEqual(failed(report), ["merkle_proof"]);
      assert.equal(report.exitCode, 1);
    }
  });
});

describe("sealbook verify against a ledger and its chain", { skip: skip ?? false }, () => {
  let chain: TestChain;
  let s: Scenario;
  let dir: string;
  let jws: string[];
  let receipts: SignedReceipt[];
  let anchored: ProofBundle;
  let unanchored: ProofBundle;
  const file = async (name: string, content: unknown) => {
    const at = path.join(dir, name);
    await writeFile(at, typeof content === "string" ? content : JSON.stringify(content));
    return at;
  };
  const bundleOf = async (entryHash: Hash) => parseProofBundle(await (await api.proof(entryHash)).json());

  before(async () => {
    chain = await startTestChain({ port: await watchdogPort() });
    s = await ledgerScenario(chain);
    dir = await mkdtemp(path.join(tmpdir(), "sealbook-verify-"));
    jws = await s.records(3);
    const batch = (await (await api.postBatch(JSON.stringify({ jws }))).json()) as { results: Array<{ entryHash: Hash; receipt: SignedReceipt }> };
    receipts = batch.results.map((r) => parseReceipt(r));
    await s.seal(1, 0);
    await s.anchor();
    anchored = await bundleOf(receipts[0].message.entryHash);
    await s.seal(1, 2); // block 2, not anchored
    unanchored = await bundleOf((await s.entriesOf(2))[0]);
  });
  after(async () => {
    await s?.db.dispose();
    await chain?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("verifies a real bundle, its record and its receipt on chain: every step passes", async () => {
    const report = await verifyBundleAndReceipt({ bundle: anchored, jws: jws[0], receipt: receipts[0], rpcUrl: chain.rpcUrl });
    assert.deepEqual(steps(report), [
      "entry_hash:pass",
      "prev_root:pass",
      "merkle_proof:pass",
      "root_on_chain:pass",
      "chain_linkage:pass",
      "receipt/signature:pass",
      "receipt/entry:pass",
      "receipt/block:pass",
      "receipt/deadline:pass",
      "receipt/registry:pass",
      "receipt/signer_role:pass",
    ]);
    assert.deepEqual([report.verdict, report.exitCode], ["verified", 0]);
  });

  it("fails tampered bundles and receipts, each at its own step", async () => {
    const intruder = createReceiptSigner(DEV_KEYS.intruder, receiptDomain(31337, s.registry));
    const ledgerSigner = createReceiptSigner(DEV_KEYS.receiptSigner, receiptDomain(31337, s.registry));
    const cases: Array<[string, Parameters<typeof verifyBundleAndReceipt>[0], string[]]> = [
      ["another record than the entry", { bundle: anchored, jws: jws[1] }, ["entry_hash"]],
      ["a root the chain does not hold", { bundle: { ...anchored, block: { ...anchored.block, root: `0x${"ee".repeat(32)}` } } }, ["merkle_proof", "root_on_chain"]],
      ["a receipt changed after signing", { bundle: anchored, receipt: { ...receipts[0], message: { ...receipts[0].message, sealBy: receipts[0].message.sealBy + 3600 } } }, ["receipt/signature"]],
      ["a receipt signed by an account without RECEIPT_SIGNER_ROLE", { bundle: anchored, receipt: await intruder.sign(receipts[0].message) }, ["receipt/signer_role"]],
      ["a genuine receipt for another entry", { bundle: anchored, receipt: receipts[1] }, ["receipt/entry"]],
      ["a genuine receipt whose sealBy passed before the block was sealed", { bundle: anchored, receipt: await ledgerSigner.sign({ ...receipts[0].message, sealBy: receipts[0].message.acceptedAt - 10 }) }, ["receipt/deadline"]],
      ["a genuine receipt of another registry", { bundle: anchored, receipt: await createReceiptSigner(DEV_KEYS.receiptSigner, receiptDomain(31337, "0x000000000000000000000000000000000000dEaD")).sign(receipts[0].message) }, ["receipt/registry", "receipt/signer_role"]],
    ];
    for (const [what, inputs, expected] of cases) {
      const report = await verifyBundleAndReceipt({ ...inputs, rpcUrl: chain.rpcUrl });
      assert.deepEqual(failed(report), expected, what);
      assert.equal(report.exitCode, 1, what);
    }
  });

  it("calls a bundle whose block is not anchored yet, or an unreachable chain, incomplete (exit 3), not verified", async () => {
    const pending = await verifyBundleAndReceipt({ bundle: unanchored, rpcUrl: chain.rpcUrl });
    assert.equal(pending.steps.find((st) => st.step === "root_on_chain")?.status, "skipped");
    assert.deepEqual([pending.verdict, pending.exitCode], ["incomplete", 3]);
    const down = await verifyBundleAndReceipt({ bundle: anchored, receipt: receipts[0], rpcUrl: "http://127.0.0.1:1" });
    assert.deepEqual([down.verdict, down.exitCode], ["incomplete", 3]);
    assert.match(down.steps.find((st) => st.step === "root_on_chain")!.message, /could not be reached/);
  });

  it("runs from the command line: one line per step, and the exit codes of its policy", async () => {
    const bundleFile = await file("bundle.json", anchored);
    const good = await sealbookCli(["verify", bundleFile, "--jws", await file("record.jws", jws[0]), "--receipt", await file("receipt.json", { receipt: receipts[0] }), "--rpc", chain.rpcUrl]);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /PASS {2}receipt\/signer_role/);
    assert.equal(good.stdout.trim().split("\n").at(-1), "Verified: every check passed.");

    const intruder = await createReceiptSigner(DEV_KEYS.intruder, receiptDomain(31337, s.registry)).sign(receipts[0].message);
    const noRole = await sealbookCli(["verify", bundleFile, "--receipt", await file("intruder.json", intruder), "--rpc", chain.rpcUrl, "--json"]);
    assert.equal(noRole.code, 1);
    const json = JSON.parse(noRole.stdout) as { verdict: string; steps: Array<{ check?: string; status: string }> };
    assert.equal(json.verdict, "failed");
    assert.equal(json.steps.find((st) => st.check === "signer_role")?.status, "fail");

    const vectorFiles = [await file("vector-bundle.json", vectorBundle), "--jws", await file("vector.jws", vectors.records[0].jws), "--receipt", await file("vector-receipt.json", vectors.receipt)];
    const offline = await sealbookCli(["verify", ...vectorFiles, "--offline"]);
    assert.equal(offline.code, 0, offline.stdout);
    assert.match(offline.stdout, /SKIP {2}root_on_chain/);
    assert.match(offline.stdout, /Verified offline/);
    const incomplete = await sealbookCli(["verify", ...vectorFiles]);
    assert.equal(incomplete.code, 3);
    assert.match(incomplete.stdout, /^Incomplete/m);

    const unusable = await sealbookCli(["verify", await file("not-a-bundle.json", { hello: "world" })]);
    assert.equal(unusable.code, 2);
    assert.match(unusable.stderr, /not a Sealbook proof bundle/);
  });
});
