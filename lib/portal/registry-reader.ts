/**
 * Reads the RootRegistry (PROTOCOL §4) straight from an Ethereum RPC endpoint, from the reader's
 * browser: the portal's server is never on this path. Loaded lazily by the live check and the
 * verifier, so that viem is downloaded only when a check runs.
 */
import { BaseError, ContractFunctionZeroDataError, createClient, HttpRequestError, http, TimeoutError, type Address } from "viem";
import { getChainId, readContract } from "viem/actions";
import { rootRegistryAbi } from "../chain/abi";
import type { Hash } from "../protocol/hex";

/** Why a registry read failed, in the reader's terms. */
export type RegistryReadFailure = "unreachable" | "no_contract" | "failed";

/** Thrown by a registry read; `message` is a sentence for a reader who is not a developer. */
export class RegistryReadError extends Error {
  readonly failure: RegistryReadFailure;

  constructor(failure: RegistryReadFailure, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RegistryReadError";
    this.failure = failure;
  }
}

/** What the browser can ask of the registry. */
export interface RegistryReader {
  /** The chain id the RPC endpoint answers with. */
  chainId(): Promise<number>;
  /** `rootOf(height)`: the anchored root, or 0x00…00 when the height is not anchored. */
  readRoot(height: number): Promise<Hash>;
}

/** The RPC endpoint to ask, and the registry contract on it. */
export interface RegistryTarget {
  rpcUrl: string;
  registry: Address;
  /** Milliseconds to wait for each answer (default 8,000). */
  timeoutMs?: number;
}

/** Tells whether `value` looks like an http(s) URL a browser can send JSON-RPC to. */
export function isRpcUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * A reader of `target.registry` through `target.rpcUrl`. Requests are sent once, without retries,
 * so that an unreachable endpoint is reported within the timeout.
 * Throws RegistryReadError `unreachable` for a URL that is not http(s).
 */
export function createRegistryReader(target: RegistryTarget): RegistryReader {
  if (!isRpcUrl(target.rpcUrl)) {
    throw new RegistryReadError("unreachable", `“${target.rpcUrl}” is not a web address (it should start with https:// or http://).`);
  }
  // A bare client with the two actions it needs (not createPublicClient, which brings every public action).
  const client = createClient({
    transport: http(target.rpcUrl, { retryCount: 0, timeout: target.timeoutMs ?? 8_000 }),
  });
  return {
    async chainId() {
      try {
        return await getChainId(client);
      } catch (error) {
        throw explain(error, target);
      }
    },
    async readRoot(height: number) {
      try {
        const root = await readContract(client, {
          address: target.registry,
          abi: rootRegistryAbi,
          functionName: "rootOf",
          args: [BigInt(height)],
        });
        return root.toLowerCase() as Hash;
      } catch (error) {
        throw explain(error, target);
      }
    },
  };
}

function explain(error: unknown, target: RegistryTarget): RegistryReadError {
  if (error instanceof RegistryReadError) return error;
  if (error instanceof BaseError) {
    const reason = error.walk((e) => e instanceof HttpRequestError || e instanceof TimeoutError || e instanceof ContractFunctionZeroDataError);
    if (reason instanceof ContractFunctionZeroDataError) {
      return new RegistryReadError(
        "no_contract",
        `There is no registry contract at ${target.registry} on the chain behind ${target.rpcUrl}: check the address and the network.`,
        { cause: error },
      );
    }
    if (reason instanceof HttpRequestError || reason instanceof TimeoutError) {
      return new RegistryReadError("unreachable", `The blockchain node at ${target.rpcUrl} could not be reached (${error.shortMessage}).`, {
        cause: error,
      });
    }
    return new RegistryReadError("failed", `The blockchain node at ${target.rpcUrl} answered with an error: ${error.shortMessage}`, { cause: error });
  }
  return new RegistryReadError("failed", `Reading the registry failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
