import type { RejectionError } from "../ledger/ingest";
import { ProtocolError, type ErrorCode } from "../protocol/errors";
import { logger } from "../observability/logger";

/** The HTTP status each error code answers with. */
export const STATUS_OF: Record<ErrorCode, number> = {
  invalid_jws: 400,
  unsupported_alg: 400,
  invalid_payload: 400,
  invalid_request: 400,
  bad_signature: 401,
  unauthorized: 401,
  unknown_signer: 403,
  revoked_signer: 403,
  forbidden: 403,
  not_found: 404,
  stale_prev_root: 409,
  duplicate_record: 409,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
};

const TITLE_OF: Record<ErrorCode, string> = {
  invalid_jws: "The record is not a valid compact JWS",
  unsupported_alg: "The signature algorithm is not accepted",
  invalid_payload: "The record payload is not valid",
  invalid_request: "The request is not valid",
  bad_signature: "The signature does not verify",
  unauthorized: "Sign-in required",
  unknown_signer: "The signer is not in the directory",
  revoked_signer: "The signer's key is revoked",
  forbidden: "Not allowed for this role",
  not_found: "Not found",
  stale_prev_root: "The record names an old root",
  duplicate_record: "The record is already in the ledger",
  conflict: "Already running",
  payload_too_large: "Too large",
  rate_limited: "Too many requests",
  unavailable: "Not available yet",
};

/** An RFC 9457 problem document with the protocol's stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  [extension: string]: unknown;
}

/** The problem document for a protocol error. */
export function problemOf(error: ProtocolError): Problem {
  return {
    type: `/api#problem-${error.code}`,
    title: TITLE_OF[error.code],
    status: STATUS_OF[error.code],
    detail: error.message,
    code: error.code,
    ...(Object.keys(error.details).length > 0 ? { details: error.details } : {}),
  };
}

/** The problem document of an unexpected failure: nothing of the server's internals, only what to do. */
export const INTERNAL_PROBLEM: InternalProblem = {
  type: "/api#problem-internal",
  title: "Internal error",
  status: 500,
  detail: "The ledger could not answer this request. Nothing was stored. Try again; if it persists, tell the operator.",
  code: "internal",
};

/** A problem document for a failure of the server's: the code `internal`, answered 500. */
export type InternalProblem = Omit<Problem, "code" | "status"> & { status: 500; code: "internal" };

/** The problem document of one rejected record in a batch: its protocol error, or an internal failure that concerned it alone. */
export function problemOfRejection(error: RejectionError): Problem | InternalProblem {
  return error instanceof ProtocolError ? problemOf(error) : { ...INTERNAL_PROBLEM, detail: error.message };
}

/** An `application/problem+json` response for a protocol error. */
export function problemResponse(error: ProtocolError, headers: HeadersInit = {}): Response {
  const problem = problemOf(error);
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}

/**
 * Runs a route handler body and turns what it throws into problem+json: a ProtocolError keeps its
 * code and status; anything else is logged and answered 500 without internals.
 */
export async function answerProblems(handler: () => Promise<Response>): Promise<Response> {
  try {
    return await handler();
  } catch (error) {
    if (error instanceof ProtocolError) {
      const retryAfter = error.details.retryAfterSeconds;
      return problemResponse(error, typeof retryAfter === "number" ? { "retry-after": String(retryAfter) } : {});
    }
    logger().error({ err: error }, "unexpected error while answering a request");
    return new Response(
      JSON.stringify(INTERNAL_PROBLEM),
      { status: 500, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } },
    );
  }
}
