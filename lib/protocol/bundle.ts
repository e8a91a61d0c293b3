import type { JWK } from "jose";
import { ProofMismatchError, ProtocolError } from "./errors";
import { entryHashOf } from "./hash";
import { ZERO_HASH, type Hash } from "./hex";
import { verifyProof } from "./proof";
import { decodeRecord, importRecordKey, verifyRecordSignature, type RecordAlg } from "./record";
import { proofBundleSchema, type ProofBundle } from "./wire/proof-bundle";

/** The proof bundle's one definition is lib/protocol/wire/proof-bundle.ts; its readers import the type from here too. */
export type { ProofBundle };

/**
 * Reads a proof bundle from parsed JSON.
 * Throws ProtocolError `invalid_request` listing what is missing or malformed.
 */
export function parseProofBundle(value: unknown): ProofBundle {
  const parsed = proofBundleSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(bundle)"}: ${i.message}`).join("; ");
    throw new ProtocolError("invalid_request", `This is not a Sealbook proof bundle (version 1): ${issues}.`);
  }
  return parsed.data;
}

/** The verification steps of PROTOCOL §5 (and §6 for receipts). */
export type StepId = "entry_hash" | "prev_root" | "merkle_proof" | "root_on_chain" | "chain_linkage" | "signature" | "receipt";

export interface StepResult {
  step: StepId;
  status: "pass" | "fail" | "skipped";
  /** One plain-language sentence for a reader who is not a developer. */
  message: string;
  expected?: string;
  computed?: string;
}

/** Step 1: the record you hold is the entry the bundle speaks of, and it names the block's prevRoot. */
export function checkRecordAgainstBundle(bundle: ProofBundle, jws: string): StepResult[] {
  const computed = entryHashOf(jws.trim());
  const hashStep: StepResult =
    computed === bundle.entryHash
      ? { step: "entry_hash", status: "pass", message: "The record you hold hashes to this entry: it is the same record, byte for byte." }
      : {
          step: "entry_hash",
          status: "fail",
          message: "The record you hold hashes to a different entry: it is not the record this proof is about, or it was changed.",
          expected: bundle.entryHash,
          computed,
        };
  let prevRoot: string;
  try {
    prevRoot = decodeRecord(jws.trim()).payload.prevRoot;
  } catch (error) {
    return [hashStep, { step: "prev_root", status: "fail", message: `The record cannot be read: ${(error as Error).message}` }];
  }
  const linkStep: StepResult =
    prevRoot === bundle.block.prevRoot
      ? { step: "prev_root", status: "pass", message: `The record was signed against the root of block ${bundle.block.height - 1}, the block just before the one that holds it.` }
      : {
          step: "prev_root",
          status: "fail",
          message: "The record names a different previous root than the block that is said to hold it.",
          expected: bundle.block.prevRoot,
          computed: prevRoot,
        };
  return [hashStep, linkStep];
}

/** Step 2: the Merkle proof leads from the entry to the block root. */
export function checkMerkleProof(bundle: ProofBundle): StepResult {
  try {
    verifyProof(bundle.block.root, bundle.entryHash, bundle.proof);
    return {
      step: "merkle_proof",
      status: "pass",
      message: `The ${bundle.proof.length} hashes of the proof lead from this entry to the root of block ${bundle.block.height}: the entry is in that block.`,
    };
  } catch (error) {
    if (error instanceof ProofMismatchError) {
      return {
        step: "merkle_proof",
        status: "fail",
        message: "The proof does not lead to the block's root: either the entry is not in this block, or the proof or the root was altered.",
        expected: error.expected,
        computed: error.computed,
      };
    }
    return { step: "merkle_proof", status: "fail", message: `The proof cannot be checked: ${(error as Error).message}` };
  }
}

/** Reads `rootOf(height)` from the registry on chain. */
export type ReadChainRoot = (height: number) => Promise<Hash>;

/** Step 3: the chain holds this block's root at its height, and the previous root before it. */
export async function checkChainRoots(bundle: Pick<ProofBundle, "block">, readRoot: ReadChainRoot): Promise<StepResult[]> {
  const { height, root, prevRoot } = bundle.block;
  let onChain: Hash;
  let previousOnChain: Hash;
  try {
    [onChain, previousOnChain] = await Promise.all([readRoot(height), readRoot(height - 1)]);
  } catch (error) {
    const message = `The blockchain could not be reached, so the on-chain check was not made (${(error as Error).message}). Try again later or use another RPC.`;
    return [
      { step: "root_on_chain", status: "skipped", message },
      { step: "chain_linkage", status: "skipped", message },
    ];
  }
  const rootStep: StepResult =
    onChain.toLowerCase() === root
      ? { step: "root_on_chain", status: "pass", message: `The public blockchain holds this exact root for block ${height}: the operator cannot change it any more.` }
      : onChain === ZERO_HASH
        ? { step: "root_on_chain", status: "fail", message: `Block ${height} is not anchored on the blockchain yet, so its root is not publicly fixed yet.`, expected: root, computed: onChain }
        : {
            step: "root_on_chain",
            status: "fail",
            message: `The blockchain holds a different root for block ${height}: the ledger is showing you something other than what it published.`,
            expected: root,
            computed: onChain,
          };
  const linkStep: StepResult =
    previousOnChain.toLowerCase() === prevRoot
      ? { step: "chain_linkage", status: "pass", message: `The blockchain's root for block ${height - 1} is the previous root this block builds on: the history is one unbroken chain.` }
      : {
          step: "chain_linkage",
          status: "fail",
          message: `The blockchain's root for block ${height - 1} is not the previous root this block names: the chain of blocks is broken here.`,
          expected: prevRoot,
          computed: previousOnChain,
        };
  return [rootStep, linkStep];
}

/** Step 4: the record's signature verifies under the signer's published key. */
export async function checkSignature(jws: string, signer: { publicJwk: JWK; alg: string; label?: string } | null): Promise<StepResult> {
  if (!signer) return { step: "signature", status: "fail", message: "The signer of this record is not in the published signer directory." };
  try {
    const key = await importRecordKey(signer.publicJwk, signer.alg as RecordAlg);
    await verifyRecordSignature(jws.trim(), key, signer.alg as RecordAlg);
    return { step: "signature", status: "pass", message: `The record carries a valid signature by ${signer.label ?? "its signer"}, whose key is in the public directory.` };
  } catch (error) {
    return { step: "signature", status: "fail", message: `The signature does not verify under the signer's published key (${(error as Error).message}).` };
  }
}
