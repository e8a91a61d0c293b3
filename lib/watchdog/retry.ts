/**
 * Patience for a watchdog: a blip of the portal or the RPC is retried with exponential backoff
 * before anything is concluded, so a healthy ledger behind a flaky network makes no noise.
 */
import type { Address } from "viem";
import { createRegistryReader, type RegistryReader } from "../chain/registry/reader";

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Tries in all, the first included (default 5). */
  attempts: number;
  /** Wait before the second try; doubled each time, with ±25 % jitter (default 500 ms). */
  baseDelayMs: number;
  /** Longest wait between two tries (default 8 s). */
  maxDelayMs: number;
}

/** 5 tries over about 7.5 s: enough for a restart of a proxy or a node, short enough for a cron job. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 8_000 };

/**
 * The portal or the chain answered, and the answer itself is wrong: not the shape the API
 * documents, or a status that makes no sense for what was asked. Retried like a blip (a proxy may
 * have cut a stream), but when it stands, it is a finding about the ledger, not an outage.
 */
export class AnswerError extends Error {
  override name = "AnswerError";
}

/** The portal or the RPC could not be reached after every retry: nothing can be concluded. */
export class UnreachableError extends Error {
  override name = "UnreachableError";
  constructor(
    readonly what: string,
    readonly attempts: number,
    options: ErrorOptions,
  ) {
    super(`${what} failed ${attempts} times: ${(options.cause as Error)?.message ?? String(options.cause)}`, options);
  }
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `task` until it succeeds or the policy's tries are used up. When the last error is an
 * AnswerError it is rethrown as it is (the caller turns it into a finding); any other last error
 * becomes an UnreachableError naming `what`.
 */
export async function withRetry<T>(
  what: string,
  task: (attempt: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  sleep: (ms: number) => Promise<void> = sleepFor,
): Promise<T> {
  let last: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      last = error;
      if (attempt === policy.attempts) break;
      const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(delay * (0.75 + Math.random() * 0.5));
    }
  }
  if (last instanceof AnswerError) throw last;
  throw new UnreachableError(what, policy.attempts, { cause: last });
}

/**
 * The registry reader (lib/chain/registry/reader.ts) as a watchdog uses it: reads batched, and
 * each retried under `policy` before it throws UnreachableError naming the read.
 */
export function patientRegistryReader(rpcUrl: string, registry: Address, options: { retry?: RetryPolicy; timeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {}): RegistryReader {
  return createRegistryReader({
    rpcUrl,
    registry,
    batch: true,
    timeoutMs: options.timeoutMs ?? 10_000,
    attempt: (what, read) => withRetry(what, read, options.retry ?? DEFAULT_RETRY, options.sleep),
  });
}
