import { ProofMismatchError } from "./errors";
import { hashPairBytes, leafBytesOf } from "./hash";
import { bytesToHex, hashToBytes, type Hash } from "./hex";

/**
 * Folds `proof` over the leaf of `entryHash` with the sorted-pair hash and returns the root it
 * leads to (OpenZeppelin `processProof`). It computes; `verifyProof` checks.
 * Throws a TypeError if a hash is not canonical 0x-hex.
 */
export function rootFromProof(entryHash: Hash, proof: readonly Hash[]): Hash {
  let node = leafBytesOf(hashToBytes(entryHash));
  for (const sibling of proof) node = hashPairBytes(node, hashToBytes(sibling));
  return bytesToHex(node);
}

/**
 * Checks that `proof` proves `entryHash` is in the tree of `root`.
 * Throws ProofMismatchError carrying the expected and the computed root when it does not.
 */
export function verifyProof(root: Hash, entryHash: Hash, proof: readonly Hash[]): void {
  const computed = rootFromProof(entryHash, proof);
  if (computed !== root.toLowerCase()) throw new ProofMismatchError(root, computed);
}

/** Like `verifyProof`, but answers true or false. */
export function isValidProof(root: Hash, entryHash: Hash, proof: readonly Hash[]): boolean {
  try {
    verifyProof(root, entryHash, proof);
    return true;
  } catch (error) {
    if (error instanceof ProofMismatchError || error instanceof TypeError) return false;
    throw error;
  }
}
