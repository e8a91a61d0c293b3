/**
 * The stable error codes of PROTOCOL.md §7. Every rejection the ledger makes carries one of them,
 * so that clients can react to the code and show the detail to a human.
 */
export const ERROR_CODES = [
  "invalid_jws",
  "unsupported_alg",
  "unknown_signer",
  "revoked_signer",
  "bad_signature",
  "invalid_payload",
  "stale_prev_root",
  "duplicate_record",
  "payload_too_large",
  "rate_limited",
  "unauthorized",
  "not_found",
  // Extensions beyond PROTOCOL §7, for requests that are not about a record:
  "invalid_request",
  "forbidden",
  "conflict",
  // The answer exists but is still being written (a just-sealed block's proofs): retry after Retry-After seconds.
  "unavailable",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * An error that a protocol check raised: a stable `code`, a sentence for a human, and the
 * offending values in `details`, so that the caller can say what was wrong and what to do.
 */
export class ProtocolError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProtocolError";
    this.code = code;
    this.details = details;
  }
}

/**
 * Thrown by `verifyProof` when a proof folds to another root than the one expected. It carries
 * both values so that a verifier can show the reader exactly what did not match.
 */
export class ProofMismatchError extends Error {
  readonly expected: string;
  readonly computed: string;

  constructor(expected: string, computed: string) {
    super(`The proof leads to root ${computed}, not to the expected root ${expected}.`);
    this.name = "ProofMismatchError";
    this.expected = expected;
    this.computed = computed;
  }
}
