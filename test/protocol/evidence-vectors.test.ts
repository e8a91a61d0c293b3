/**
 * The evidence bundle known answer (test/vectors/evidence-v1.json, PROTOCOL §8), built
 * deterministically from the protocol vectors: records 0 (EdDSA) and 1 (ES256) of block 1, their
 * signers, and receipts signed by Hardhat's dev account #1 (record 0's is the vectors' receipt).
 * The file must be exactly what the builder makes, and it must verify offline with only the
 * on-chain checks skipped. Set SEALBOOK_WRITE_VECTORS=1 to write the file again.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { receiptDomain } from "../../lib/protocol/receipt";
import { parseEvidenceBundle, type EvidenceBundle } from "../../lib/protocol/evidence";
import { verifyEvidenceBundle } from "../../lib/protocol/evidence-verify";
import { createReceiptSigner } from "../../lib/ledger/receipts";
import { evidenceReceiptChecker, verifyEvidence } from "../../lib/watchdog/evidence";
import { DEV_KEYS } from "../support/chain";
import { vectors } from "../support/vectors";

const file = path.resolve(import.meta.dirname, "../vectors/evidence-v1.json");
const SEALED_AT = "2026-11-22T10:02:00.000Z";
const ANCHOR = { height: 1, chainId: 31337, registry: vectors.receipt.domain.verifyingContract, txHash: `0x${"11".repeat(32)}`, blockNumber: 2 };

async function buildVector(): Promise<EvidenceBundle> {
  const signer = createReceiptSigner(DEV_KEYS.receiptSigner, receiptDomain(31337, vectors.receipt.domain.verifyingContract));
  const block = { height: 1, root: vectors.block1.root, prevRoot: vectors.block1.prevRoot, entryCount: vectors.block1.entryCount, sealedAt: SEALED_AT };
  const items = await Promise.all(
    vectors.records.slice(0, 2).map(async (record, i) => {
      const acceptedAt = Date.parse(record.payload.createdAt as string);
      const key = vectors.signers.find((s) => s.kid === record.kid)!;
      const receipt = await signer.sign({ entryHash: record.entryHash, prevRoot: vectors.genesisRoot, acceptedAt: acceptedAt / 1000, sealBy: acceptedAt / 1000 + 300 });
      return {
        entryHash: record.entryHash,
        jws: record.jws,
        acceptedAt: new Date(acceptedAt).toISOString(),
        bundle: { version: 1, ledgerId: vectors.ledgerId, entryHash: record.entryHash, block, proof: vectors.block1.proofs[record.entryHash], anchor: { chainId: ANCHOR.chainId, registry: ANCHOR.registry, txHash: ANCHOR.txHash, blockNumber: ANCHOR.blockNumber } },
        receipt: { ...receipt, types: { Receipt: [...receipt.types.Receipt] } },
        signer: { kid: key.kid, jwk: key.publicJwk, label: `Vector signer ${i} (${key.alg})`, validFrom: "2026-11-01T00:00:00.000Z", revokedAt: null, x5c: [] },
      };
    }),
  );
  return JSON.parse(
    JSON.stringify({ type: "sealbook.evidence", version: 1, ledgerId: vectors.ledgerId, genesisRoot: vectors.genesisRoot, createdAt: "2026-11-26T10:00:00.000Z", items, blocks: [block], anchors: [ANCHOR] }),
  );
}

describe("the evidence bundle known answer", () => {
  it("is exactly what the builder makes from the protocol vectors (record 0's receipt is the vectors' receipt)", async () => {
    const built = await buildVector();
    if (process.env.SEALBOOK_WRITE_VECTORS === "1") writeFileSync(file, `${JSON.stringify(built, null, 2)}\n`);
    const stored = JSON.parse(readFileSync(file, "utf8"));
    assert.deepEqual(stored, built);
    assert.deepEqual(stored.items[0].receipt, vectors.receipt);
  });

  it("has the fixed fields of PROTOCOL §8", () => {
    const stored = JSON.parse(readFileSync(file, "utf8"));
    assert.equal(stored.type, "sealbook.evidence");
    assert.equal(stored.version, 1);
    assert.equal(stored.ledgerId, "vectors");
    assert.equal(stored.genesisRoot, "0x369480144259e75c25e4e341b71e7996db0556b0d1ec8cce05219a31cbbd9a74");
    assert.deepEqual(stored.items.map((i: { entryHash: string }) => i.entryHash), [vectors.records[0].entryHash, vectors.records[1].entryHash]);
    assert.deepEqual(stored.blocks.map((b: { root: string }) => b.root), ["0x215125c275a80f32f4dde98a50e04ba0ad1c6851d7bb4b43d9844df82ca4fc7c"]);
    assert.deepEqual(stored.anchors, [ANCHOR]);
    parseEvidenceBundle(stored);
  });

  it("verifies offline: every check passes except the on-chain ones, which are skipped", async () => {
    const bundle = parseEvidenceBundle(JSON.parse(readFileSync(file, "utf8")));
    const report = await verifyEvidenceBundle(bundle, { checkReceipt: evidenceReceiptChecker(null) });
    assert.equal(report.counts.fail, 0, JSON.stringify(report.checks.filter((c) => c.status === "fail")));
    const skipped = [...new Set(report.checks.filter((c) => c.status === "skipped").map((c) => c.check))].sort();
    assert.deepEqual(skipped, ["anchor_root", "chain_linkage", "receipt_signer_role", "root_on_chain"]);
    assert.equal(report.verdict, "incomplete");
    assert.equal((await verifyEvidence(bundle, { offline: true })).exitCode, 0);
  });

  it("fails the pure verifier at the right check for a flipped JWS byte and a wrong kid", async () => {
    const bundle = parseEvidenceBundle(JSON.parse(readFileSync(file, "utf8")));
    bundle.items[1].jws = bundle.items[1].jws!.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    bundle.items[0].signer.kid = vectors.signers[1].kid;
    const report = await verifyEvidenceBundle(bundle, {});
    const failed = report.checks.filter((c) => c.status === "fail").map((c) => `${c.entryHash?.slice(0, 6)}:${c.check}`);
    assert.deepEqual(failed, ["0xa9dd:signature", "0xa9dd:signer_kid", `${vectors.records[1].entryHash.slice(0, 6)}:entry_hash`, `${vectors.records[1].entryHash.slice(0, 6)}:signature`]);
  });
});
