import { readFileSync } from "node:fs";
import path from "node:path";
import type { Hash } from "../../lib/protocol/hex";

/** The protocol's known answers (docs/PROTOCOL.md), kept in the repository as `test/vectors/protocol-v1.json`. */
export interface Vectors {
  ledgerId: string;
  genesisRoot: Hash;
  signers: Array<{ alg: "EdDSA" | "ES256"; kid: string; publicJwk: Record<string, string>; privateJwk: Record<string, string> }>;
  records: Array<{ alg: string; kid: string; payload: Record<string, unknown>; jws: string; entryHash: Hash; leaf: Hash }>;
  block1: { height: number; prevRoot: Hash; root: Hash; entryCount: number; entries: Hash[]; proofs: Record<string, Hash[]> };
  trees: Array<{ size: number; entries: Hash[]; root: Hash; proofs: Record<string, Hash[]> }>;
  proofsThatMustFail: Array<{ desc: string; entryHash: Hash; root: Hash; proof: Hash[]; verifies: boolean }>;
  receipt: {
    domain: { name: string; version: string; chainId: number; verifyingContract: `0x${string}` };
    types: Record<string, Array<{ name: string; type: string }>>;
    primaryType: string;
    message: { entryHash: Hash; prevRoot: Hash; acceptedAt: number; sealBy: number };
    signer: `0x${string}`;
    signature: `0x${string}`;
  };
}

export const vectorsPath = path.resolve(import.meta.dirname, "../vectors/protocol-v1.json");

export const vectors: Vectors = JSON.parse(readFileSync(vectorsPath, "utf8"));
