import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { entryHashOf, genesisRootOf } from "../../lib/protocol/hash";
import { ZERO_HASH as ZERO, type Hash } from "../../lib/protocol/hex";
import type { ProofBundle } from "../../lib/protocol/bundle";
import { publicSignerKey, signerKid } from "../../lib/protocol/signer-key";
import { RegistryReadError } from "../../lib/chain/registry/reader";
import type { RegistryReads } from "../../lib/protocol/verification";
import { verifyEntry, type ProofLookup, type PublishedSigner, type VerifyServices } from "../../lib/portal/verify-flow";
import { readVerifyInput, VerifyInputError } from "../../lib/portal/verify-input";
import { isNotYetAnchored, verdictOf } from "../../lib/portal/verdict";
import { newKeyPair, signedRecord } from "../support/records";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;
const hashOf = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hash;

/** A sealed block of three records (one of them ours) and its bundle, built with the stock library. */
async function sealedFixture() {
  const keys = await newKeyPair("EdDSA");
  const prevRoot = hashOf(7);
  const records = await Promise.all([0, 1, 2].map(() => signedRecord(keys.privateJwk, prevRoot)));
  const hashes = records.map(entryHashOf);
  const tree = StandardMerkleTree.of(hashes.map((h) => [h]), ["bytes32"]);
  const bundle: ProofBundle = {
    version: 1,
    ledgerId: "test",
    entryHash: hashes[1],
    block: { height: 5, root: tree.root as Hash, prevRoot, entryCount: 3, sealedAt: "2026-11-22T10:00:00.000Z" },
    proof: tree.getProof([hashes[1]]) as Hash[],
    anchor: { chainId: 31337, registry: REGISTRY, txHash: hashOf(99), blockNumber: 12 },
  };
  const signer: PublishedSigner = { kid: await signerKid(publicSignerKey(keys.publicJwk).publicJwk), alg: "EdDSA", label: "Test clinic", publicJwk: keys.publicJwk, status: "active" };
  return { jws: records[1], bundle, signer };
}

/** Services answering from memory; `chain` maps heights to roots, or throws to play an unreachable RPC. */
function fakeServices(options: {
  lookup?: ProofLookup;
  signers?: PublishedSigner[];
  chain?: Record<number, Hash> | "unreachable" | null;
  chainId?: number;
  /** rootOf(0); the genesis root of ledger "test" unless said. */
  genesis?: Hash;
  sent?: string[];
}): VerifyServices {
  return {
    async fetchProof(entryHash) {
      options.sent?.push(entryHash);
      if (!options.lookup) throw new Error("the portal could not be reached");
      return options.lookup;
    },
    async fetchSigners() {
      return options.signers ?? [];
    },
    async registryReader() {
      if (options.chain === null) return null;
      const reader: RegistryReads = {
        async chainId() {
          if (options.chain === "unreachable") throw new RegistryReadError("unreachable", "The blockchain node at http://127.0.0.1:1 could not be reached.");
          return options.chainId ?? 31337;
        },
        async readRoot(height) {
          if (options.chain === "unreachable" || options.chain === undefined) throw new RegistryReadError("unreachable", "unreachable");
          if (height === 0 && !(0 in options.chain!)) return options.genesis ?? genesisRootOf("test");
          return options.chain?.[height] ?? ZERO;
        },
      };
      return reader;
    },
  };
}

const statusOf = (steps: Array<{ step: string; status: string }>) => Object.fromEntries(steps.map((s) => [s.step, s.status]));

describe("the browser verifier's procedure", () => {
  it("verifies a signed record end to end and sends only its entry hash", async () => {
    const { jws, bundle, signer } = await sealedFixture();
    const sent: string[] = [];
    const outcome = await verifyEntry(readVerifyInput(jws), fakeServices({ lookup: { status: "sealed", bundle }, signers: [signer], chain: { 5: bundle.block.root, 4: bundle.block.prevRoot }, sent }), { trustedRegistry: REGISTRY });
    assert.equal(outcome.kind, "checked");
    if (outcome.kind !== "checked") return;
    assert.deepEqual(statusOf(outcome.steps), { entry_hash: "pass", prev_root: "pass", merkle_proof: "pass", root_on_chain: "pass", chain_linkage: "pass", signature: "pass" });
    assert.equal(outcome.verdict, "verified");
    assert.deepEqual(sent, [bundle.entryHash]);
  });

  it("fails at the Merkle step when one sibling of the proof is changed", async () => {
    const { bundle } = await sealedFixture();
    const tampered = { ...bundle, proof: [hashOf(1), ...bundle.proof.slice(1)] };
    const outcome = await verifyEntry({ kind: "bundle", bundle: tampered }, fakeServices({ chain: { 5: bundle.block.root, 4: bundle.block.prevRoot } }), { trustedRegistry: REGISTRY });
    assert.ok(outcome.kind === "checked");
    assert.equal(statusOf(outcome.steps).merkle_proof, "fail");
    assert.equal(outcome.verdict, "failed");
  });

  it("fails on chain when the bundle names a root the registry does not hold", async () => {
    const { bundle } = await sealedFixture();
    const outcome = await verifyEntry({ kind: "bundle", bundle }, fakeServices({ chain: { 5: hashOf(3), 4: bundle.block.prevRoot } }), { trustedRegistry: REGISTRY });
    assert.ok(outcome.kind === "checked");
    assert.equal(statusOf(outcome.steps).root_on_chain, "fail");
    assert.equal(outcome.verdict, "failed");
  });

  it("calls a block the registry holds nothing for 'not anchored yet', not a failure", async () => {
    const { bundle } = await sealedFixture();
    const outcome = await verifyEntry({ kind: "bundle", bundle: { ...bundle, anchor: null } }, fakeServices({ chain: { 4: bundle.block.prevRoot } }), { trustedRegistry: REGISTRY });
    assert.ok(outcome.kind === "checked");
    const onChain = outcome.steps.find((s) => s.step === "root_on_chain")!;
    assert.ok(isNotYetAnchored(onChain));
    assert.equal(outcome.verdict, "incomplete");
  });

  it("skips the chain steps with a reason when no registry is known, no node is set, or the node is unreachable", async () => {
    const { bundle } = await sealedFixture();
    const unanchored = await verifyEntry({ kind: "bundle", bundle: { ...bundle, anchor: null } }, fakeServices({ chain: {} }), { trustedRegistry: null });
    assert.ok(unanchored.kind === "checked");
    assert.match(unanchored.steps.find((s) => s.step === "root_on_chain")!.message, /not been anchored/);
    const noNode = await verifyEntry({ kind: "bundle", bundle }, fakeServices({ chain: null }), { trustedRegistry: REGISTRY });
    assert.ok(noNode.kind === "checked");
    assert.match(noNode.steps.find((s) => s.step === "root_on_chain")!.message, /No blockchain node is set/);
    const down = await verifyEntry({ kind: "bundle", bundle }, fakeServices({ chain: "unreachable" }), { trustedRegistry: REGISTRY });
    assert.ok(down.kind === "checked");
    assert.deepEqual(statusOf(down.steps), { merkle_proof: "pass", root_on_chain: "skipped", chain_linkage: "skipped" });
    assert.match(down.steps[1].message, /could not be reached/);
    assert.equal(down.verdict, "incomplete");
  });

  it("fails the chain step when the node serves another chain, or the bundle names another registry than the trusted one", async () => {
    const { bundle } = await sealedFixture();
    const wrongChain = await verifyEntry({ kind: "bundle", bundle }, fakeServices({ chain: { 5: bundle.block.root }, chainId: 1 }), { trustedRegistry: REGISTRY });
    assert.ok(wrongChain.kind === "checked");
    assert.match(wrongChain.steps.find((s) => s.step === "root_on_chain")!.message, /serves chain 1/);
    const otherRegistry = await verifyEntry({ kind: "bundle", bundle }, fakeServices({ chain: {} }), { trustedRegistry: "0x0000000000000000000000000000000000000001" });
    assert.ok(otherRegistry.kind === "checked");
    assert.equal(otherRegistry.verdict, "failed");
  });

  it("says the on-chain step proves nothing when no registry is trusted, even if the bundle's own registry holds its roots", async () => {
    const { bundle } = await sealedFixture();
    const forgedChain = { 5: bundle.block.root, 4: bundle.block.prevRoot };
    const outcome = await verifyEntry({ kind: "bundle", bundle }, fakeServices({ chain: forgedChain }));
    assert.equal(outcome.kind, "checked");
    if (outcome.kind !== "checked") return;
    const step = outcome.steps.find((s) => s.step === "root_on_chain");
    assert.equal(step?.status, "skipped");
    assert.match(step?.message ?? "", /proves nothing/);
    assert.equal(outcome.verdict, "incomplete");
  });

  it("fails the on-chain step when the trusted registry's rootOf(0) is not this ledger's genesis root", async () => {
    const { bundle } = await sealedFixture();
    const chain = { 5: bundle.block.root, 4: bundle.block.prevRoot };
    const otherLedger = await verifyEntry({ kind: "bundle", bundle }, fakeServices({ chain, genesis: genesisRootOf("another-ledger") }), { trustedRegistry: REGISTRY });
    assert.equal(otherLedger.kind === "checked" && otherLedger.verdict, "failed");
    const step = otherLedger.kind === "checked" ? otherLedger.steps.find((s) => s.step === "root_on_chain") : undefined;
    assert.deepEqual([step?.status, step?.expected, step?.computed], ["fail", genesisRootOf("test"), genesisRootOf("another-ledger")]);
    const portalLedger = await verifyEntry({ kind: "bundle", bundle }, fakeServices({ chain }), { trustedRegistry: REGISTRY, genesisRoot: genesisRootOf("portal-ledger") });
    assert.equal(portalLedger.kind === "checked" && portalLedger.verdict, "failed", "the portal's genesis root wins over the bundle's ledgerId");
  });

  it("reports pending, unknown and unreachable-portal lookups as such", async () => {
    const hash = hashOf(42);
    assert.deepEqual(await verifyEntry({ kind: "entry_hash", entryHash: hash }, fakeServices({ lookup: { status: "pending", acceptedAt: "2026-11-22T10:00:00Z" } })), {
      kind: "pending",
      entryHash: hash,
      acceptedAt: "2026-11-22T10:00:00Z",
    });
    assert.deepEqual(await verifyEntry({ kind: "entry_hash", entryHash: hash }, fakeServices({ lookup: { status: "unknown" } })), { kind: "unknown", entryHash: hash });
    const down = await verifyEntry({ kind: "entry_hash", entryHash: hash }, fakeServices({}));
    assert.equal(down.kind, "lookup_failed");
  });

  it("refuses a proof about another entry than the one asked for", async () => {
    const { bundle } = await sealedFixture();
    const outcome = await verifyEntry({ kind: "entry_hash", entryHash: hashOf(5) }, fakeServices({ lookup: { status: "sealed", bundle } }));
    assert.equal(outcome.kind, "lookup_failed");
  });

  it("fails the signature step for a signer missing from the directory", async () => {
    const { jws, bundle } = await sealedFixture();
    const outcome = await verifyEntry({ kind: "bundle", bundle }, fakeServices({ chain: { 5: bundle.block.root, 4: bundle.block.prevRoot }, signers: [] }), { record: jws, trustedRegistry: REGISTRY });
    assert.ok(outcome.kind === "checked");
    assert.equal(statusOf(outcome.steps).signature, "fail");
    assert.equal(outcome.verdict, "failed");
  });

  it("needs every inclusion and publication step to pass before it says verified", () => {
    assert.equal(verdictOf([{ step: "merkle_proof", status: "pass", message: "" }], false), "incomplete");
  });
});

describe("reading the verifier's input", () => {
  it("tells a bundle, a record and an entry hash apart, and computes a record's entry hash", async () => {
    const { jws, bundle } = await sealedFixture();
    assert.equal(readVerifyInput(JSON.stringify(bundle)).kind, "bundle");
    const record = readVerifyInput(`  ${jws}\n`);
    assert.ok(record.kind === "record" && record.entryHash === entryHashOf(jws));
    assert.deepEqual(readVerifyInput(hashOf(1).toUpperCase().replace("0X", "0x")), { kind: "entry_hash", entryHash: hashOf(1) });
  });

  it("explains what is wrong with anything else", () => {
    assert.throws(() => readVerifyInput(""), VerifyInputError);
    assert.throws(() => readVerifyInput("hello"), /not something the verifier can check/);
    assert.throws(() => readVerifyInput("{not json"), /not valid JSON/);
    assert.throws(() => readVerifyInput('{"version": 2}'), /not a Sealbook proof bundle/);
    assert.throws(() => readVerifyInput("a.b.c"), /cannot be read/);
  });
});
