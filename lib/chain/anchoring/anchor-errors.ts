import {
  BaseError,
  ContractFunctionRevertedError,
  HttpRequestError,
  InsufficientFundsError,
  RpcRequestError,
  SocketClosedError,
  TimeoutError,
  WaitForTransactionReceiptTimeoutError,
} from "viem";

/** What went wrong in an anchoring pass. `transient` ones are retried with backoff. */
export type AnchorErrorCode =
  /** The RPC did not answer (refused, timed out, connection cut). */
  | "rpc_unreachable"
  /** The RPC answered with an error. */
  | "rpc_error"
  /** The anchoring account does not hold ANCHORER_ROLE on the registry. */
  | "anchorer_role_missing"
  /** Fees stay above ANCHOR_MAX_FEE_GWEI: anchoring waits (a warning until the anchoring lag passes its threshold). */
  | "fee_above_cap"
  /** The anchoring account cannot pay for gas. */
  | "insufficient_funds"
  /** No registry address, RPC or key is configured. */
  | "not_configured"
  /** The registry refused an anchor for a reason the job does not handle by itself. */
  | "registry_reverted"
  /** Anything else (for example the database). */
  | "unexpected";

/** An anchoring failure with a message for a human; the message never contains a private key. */
export class AnchorError extends Error {
  override name = "AnchorError";
  constructor(
    readonly code: AnchorErrorCode,
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The custom error a registry call reverted with, decoded from the ABI, or null. */
export function registryRevertOf(error: unknown): { errorName: string; args: readonly unknown[] } | null {
  if (!(error instanceof BaseError)) return null;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError) || !reverted.data) return null;
  return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
}

/**
 * Turns whatever an anchoring step threw into an AnchorError whose message says what failed and what
 * to do, passed through `redact` (see secretRedactor) so that no key or RPC secret leaks into logs or
 * the database. `context` names the step, e.g. "reading the registry".
 */
export function toAnchorError(error: unknown, context: string, redact: (text: string) => string, anchorer?: string): AnchorError {
  if (error instanceof AnchorError) return error;
  const revert = registryRevertOf(error);
  if (revert?.errorName === "AccessControlUnauthorizedAccount") {
    return new AnchorError(
      "anchorer_role_missing",
      redact(`${context}: the anchoring account ${String(revert.args[0] ?? anchorer)} does not hold ANCHORER_ROLE on the registry. ` +
        "An admin must grant it (grantRole(ANCHORER_ROLE, account)); anchoring resumes by itself once it is granted."),
      true,
      { cause: error },
    );
  }
  if (revert) {
    return new AnchorError(
      "registry_reverted",
      redact(`${context}: the registry refused with ${revert.errorName}(${revert.args.map(String).join(", ")}).`),
      true,
      { cause: error },
    );
  }
  if (error instanceof BaseError) {
    const detail = redact(error.shortMessage);
    if (error.walk((e) => e instanceof InsufficientFundsError) instanceof InsufficientFundsError) {
      return new AnchorError("insufficient_funds", redact(`${context}: ${anchorer ?? "the anchoring account"} cannot pay for gas; fund it.`), true, { cause: error });
    }
    const unreachable = error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof SocketClosedError);
    if (unreachable instanceof HttpRequestError || unreachable instanceof TimeoutError || unreachable instanceof SocketClosedError) {
      return new AnchorError("rpc_unreachable", `${context}: the RPC did not answer (${detail}); retrying with backoff.`, true, { cause: error });
    }
    if (error instanceof WaitForTransactionReceiptTimeoutError) {
      return new AnchorError("rpc_error", `${context}: ${detail}`, true, { cause: error });
    }
    if (error.walk((e) => e instanceof RpcRequestError)) {
      return new AnchorError("rpc_error", `${context}: the RPC answered with an error (${detail}).`, true, { cause: error });
    }
    return new AnchorError("rpc_error", `${context}: ${detail}`, true, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AnchorError("unexpected", redact(`${context}: ${message}`), true, { cause: error });
}

/**
 * Runs a chain call, turning its failure into an AnchorError that names the step (`context`), with
 * the secrets redacted.
 */
export async function chainStep<T>(job: { redact: (text: string) => string; anchorer?: string }, context: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toAnchorError(error, context, job.redact, job.anchorer);
  }
}
