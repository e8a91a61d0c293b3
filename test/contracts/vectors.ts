/**
 * The protocol's known-answer vectors (docs/PROTOCOL.md, `test/vectors/protocol-v1.json`), and small
 * deterministic helpers the contract tests share.
 * Not a test file itself; the Hardhat node:test runner loads it like one and finds no tests.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { keccak256, toHex, type Address, type Hex } from "viem";
import type { Hash } from "../../lib/protocol/hex";

export interface TreeVector {
  size: number;
  entries: Hash[];
  root: Hash;
  /** Proof by entry hash. */
  proofs: Record<Hash, Hash[]>;
}

export interface ProtocolVectors {
  ledgerId: string;
  genesisRoot: Hash;
  block1: TreeVector & { height: number; prevRoot: Hash; entryCount: number };
  trees: TreeVector[];
  proofsThatMustFail: { desc: string; entryHash: Hash; root: Hash; proof: Hash[]; verifies: false }[];
  receipt: {
    domain: { name: string; version: string; chainId: number; verifyingContract: Address };
    types: { Receipt: { name: string; type: string }[] };
    primaryType: "Receipt";
    message: { entryHash: Hash; prevRoot: Hash; acceptedAt: number; sealBy: number };
    signer: Address;
    signature: Hex;
  };
}

/** The vectors file kept in the repository. */
const VECTORS_FILE = fileURLToPath(new URL("../vectors/protocol-v1.json", import.meta.url));

export const vectors = JSON.parse(readFileSync(VECTORS_FILE, "utf8")) as ProtocolVectors;

/** `count` distinct pseudo-random 32-byte hashes, the same for the same `seed` on every run. */
export function deterministicHashes(seed: string, count: number): Hash[] {
  return Array.from({ length: count }, (_, i) => keccak256(toHex(`${seed}/${i}`)) as Hash);
}
