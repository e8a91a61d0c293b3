import type { Hash } from "../protocol/hex";
import { httpMirrorReader, MirrorError, proofBundleFromMirror, readCheckpoint } from "../protocol/mirror";
import type { ProofLookup } from "./verify-flow";

/**
 * The verifier's proof lookup from a mirror of the ledger's files (docs/PROTOCOL.md, "Appendix:
 * mirror layout") instead of this portal: reads the signed `ledger.json` (its signature checked),
 * then builds the proof of `entryHash` from the blocks' files. The bundle is checked by the flow
 * like any other. An entry no block of the mirror holds is unknown to the mirror (it may be behind).
 * Throws an Error with a plain sentence when the mirror cannot be read or its files are wrong.
 */
export function fetchProofFromMirror(mirrorUrl: string, doFetch: typeof fetch = fetch): (entryHash: Hash) => Promise<ProofLookup> {
  const read = httpMirrorReader(mirrorUrl, doFetch);
  return async (entryHash) => {
    try {
      const checkpoint = await readCheckpoint(read);
      const bundle = await proofBundleFromMirror(read, entryHash, { headHeight: checkpoint.height });
      return bundle ? { status: "sealed", bundle } : { status: "unknown" };
    } catch (error) {
      const why = error instanceof MirrorError ? error.message : `it could not be reached (${(error as Error).message})`;
      throw new Error(`The mirror ${mirrorUrl} could not give a proof: ${why}`, { cause: error });
    }
  };
}
