/**
 * Whether a signer's key was usable at a time: the one rule behind ingest's `revoked_signer` and
 * `unknown_signer` (not yet valid) answers, the audit's `entry_signer_invalid` finding and the
 * directory's status. A certificate's validity is already folded into its key's entry (`validFrom`
 * where the chain starts to be valid, `revokedAt` where it ends; cert-signers.ts).
 */

/** `valid`, or why not: revoked (or past its certificate's end) by then, not valid yet, or registered for another algorithm. */
export type SignerValidity = "valid" | "revoked" | "not_yet_valid" | "wrong_alg";

/** The times and algorithm of a directory entry that decide its validity. */
export interface SignerTimes {
  validFrom: Date;
  revokedAt: Date | null;
  alg: string;
}

/**
 * Whether `signer` was valid at `at`, for a record of algorithm `alg` when given: revoked from its
 * `revokedAt` on (that instant included), not valid before its `validFrom`. Revocation is checked
 * first, then the start, then the algorithm.
 */
export function signerValidityAt(signer: SignerTimes, at: Date, alg?: string): SignerValidity {
  if (signer.revokedAt && signer.revokedAt <= at) return "revoked";
  if (signer.validFrom > at) return "not_yet_valid";
  if (alg !== undefined && alg !== signer.alg) return "wrong_alg";
  return "valid";
}
