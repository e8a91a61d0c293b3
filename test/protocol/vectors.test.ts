import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ProofMismatchError } from "../../lib/protocol/errors";
import { entryHashOf, genesisRootOf, leafOf } from "../../lib/protocol/hash";
import { hashToBytes } from "../../lib/protocol/hex";
import { buildBlockTree, proofFromTree } from "../../lib/protocol/merkle";
import { isValidProof, rootFromProof, verifyProof } from "../../lib/protocol/proof";
import { decodeRecord, importRecordKey, verifyRecordSignature } from "../../lib/protocol/record";
import { publicSignerKey, signerKid } from "../../lib/protocol/signer-key";
import { vectors } from "../support/vectors";

describe("protocol vectors (test/vectors/protocol-v1.json)", () => {
  it("derives the genesis root from the ledger id", () => {
    assert.equal(genesisRootOf(vectors.ledgerId), vectors.genesisRoot);
  });

  it("derives each signer's kid as the RFC 7638 thumbprint of its public JWK", async () => {
    for (const signer of vectors.signers) {
      const { publicJwk, alg } = publicSignerKey(signer.publicJwk);
      assert.equal(alg, signer.alg);
      assert.equal(await signerKid(publicJwk), signer.kid);
    }
  });

  it("hashes every record to its entry hash and leaf", () => {
    for (const record of vectors.records) {
      assert.equal(entryHashOf(record.jws), record.entryHash);
      assert.equal(leafOf(record.entryHash), record.leaf);
    }
  });

  it("decodes every record's header and payload, and verifies its signature under the signer's key", async () => {
    for (const record of vectors.records) {
      const decoded = decodeRecord(record.jws);
      assert.equal(decoded.header.alg, record.alg);
      assert.equal(decoded.header.kid, record.kid);
      assert.deepEqual(decoded.payload, record.payload);
      const signer = vectors.signers.find((s) => s.kid === record.kid)!;
      const key = await importRecordKey(signer.publicJwk, signer.alg);
      await verifyRecordSignature(record.jws, key, signer.alg);
    }
  });

  it("rejects a vector record under the other signer's key", async () => {
    const [ed, ec] = vectors.signers;
    const edRecord = vectors.records.find((r) => r.kid === ed.kid)!;
    const wrongKey = await importRecordKey(ec.publicJwk, "ES256");
    await assert.rejects(verifyRecordSignature(edRecord.jws, wrongKey, "ES256"), { code: "bad_signature" });
  });

  it("builds block 1's root and every entry's proof", () => {
    const tree = buildBlockTree(vectors.block1.entries.map(hashToBytes));
    assert.equal(tree.root, vectors.block1.root);
    assert.equal(tree.size, vectors.block1.entryCount);
    vectors.block1.entries.forEach((entryHash, position) => {
      const leafIndex = Array.from(tree.sortedEntryIndex).indexOf(position);
      assert.deepEqual(proofFromTree(tree, leafIndex), vectors.block1.proofs[entryHash]);
      verifyProof(vectors.block1.root, entryHash, vectors.block1.proofs[entryHash]);
    });
  });

  it("builds the root and every proof of each tree size in the vectors", () => {
    assert.ok(vectors.trees.length >= 5);
    for (const vector of vectors.trees) {
      const tree = buildBlockTree(vector.entries.map(hashToBytes));
      assert.equal(tree.root, vector.root, `root of the ${vector.size}-entry tree`);
      vector.entries.forEach((entryHash, position) => {
        const leafIndex = Array.from(tree.sortedEntryIndex).indexOf(position);
        assert.deepEqual(proofFromTree(tree, leafIndex), vector.proofs[entryHash], `proof of ${entryHash} in the ${vector.size}-entry tree`);
        assert.equal(rootFromProof(entryHash, vector.proofs[entryHash]), vector.root);
      });
    }
  });

  it("rejects every proof that must fail, and says which root it computed instead", () => {
    assert.ok(vectors.proofsThatMustFail.length >= 5);
    for (const probe of vectors.proofsThatMustFail) {
      assert.equal(probe.verifies, false);
      assert.equal(isValidProof(probe.root, probe.entryHash, probe.proof), false, probe.desc);
      assert.throws(
        () => verifyProof(probe.root, probe.entryHash, probe.proof),
        (error: unknown) =>
          error instanceof ProofMismatchError &&
          error.expected === probe.root &&
          error.computed === rootFromProof(probe.entryHash, probe.proof) &&
          error.computed !== probe.root,
        probe.desc,
      );
    }
  });
});
