/**
 * The one reader of the RootRegistry (PROTOCOL §4) through an RPC endpoint of the reader's choice:
 * the browser's verifier and live check, `sealbook verify` and the monitor all read the chain with
 * it. Browser-safe (viem and the ABI only), and small: a bare viem client with the actions it
 * needs, loaded lazily by the pages so that viem is downloaded only when a check runs.
 *
 * A failed read throws RegistryReadError, whose message is a sentence for a reader who is not a
 * developer. Requests are sent once; a caller that wants patience (the monitor) hands in `attempt`,
 * which runs each read and may retry it (lib/watchdog/retry.ts).
 */
import { BaseError, ContractFunctionZeroDataError, createClient, getAddress, HttpRequestError, http, TimeoutError, type Address, type Hash } from "viem";
import { getChainId, getCode, readContract } from "viem/actions";
import { rootRegistryAbi } from "./abi";
import { readRoots, RECEIPT_SIGNER_ROLE } from "./reads";

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

/** What can be asked of the registry. Roots are 0x-lowercase; 0x00…00 where nothing is anchored. */
export interface RegistryReader {
  readonly registry: Address;
  /** The chain id the RPC endpoint answers with. */
  chainId(): Promise<number>;
  /** Whether there is contract code at the registry address. */
  deployed(): Promise<boolean>;
  genesisRoot(): Promise<Hash>;
  latestHeight(): Promise<number>;
  /** `rootOf(height)`. */
  readRoot(height: number): Promise<Hash>;
  /** `rootOf(h)` for each height, batched. */
  rootsOf(heights: number[]): Promise<Map<number, Hash>>;
  /** Whether `account` holds RECEIPT_SIGNER_ROLE on the registry now. */
  isReceiptSigner(account: Address): Promise<boolean>;
}

/** The RPC endpoint to ask, and the registry contract on it. */
export interface RegistryTarget {
  rpcUrl: string;
  registry: Address;
  /** Milliseconds to wait for each answer (default 8,000). */
  timeoutMs?: number;
  /** Send concurrent reads as JSON-RPC batches (the monitor's many roots); off by default, as some public endpoints refuse batches. */
  batch?: boolean;
  /** Runs each read, named by `what`; the monitor retries with backoff here. Default: once. */
  attempt?: <T>(what: string, read: () => Promise<T>) => Promise<T>;
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

const CHUNK = 100;

/**
 * A reader of `target.registry` through `target.rpcUrl`.
 * Throws RegistryReadError `unreachable` for a URL that is not http(s); its reads throw
 * RegistryReadError (or what `attempt` makes of it).
 */
export function createRegistryReader(target: RegistryTarget): RegistryReader {
  if (!isRpcUrl(target.rpcUrl)) {
    throw new RegistryReadError("unreachable", `“${target.rpcUrl}” is not a web address (it should start with https:// or http://).`);
  }
  const address = getAddress(target.registry.toLowerCase());
  // viem's own retries are off: an unreachable endpoint is reported within the timeout, or retried by `attempt`.
  const client = createClient({
    transport: http(target.rpcUrl, { retryCount: 0, timeout: target.timeoutMs ?? 8_000, ...(target.batch ? { batch: { batchSize: CHUNK, wait: 0 } } : {}) }),
  });
  const attempt = target.attempt ?? (<T>(_what: string, read: () => Promise<T>) => read());
  const read = <T>(what: string, task: () => Promise<T>) =>
    attempt(`${what} (registry ${address})`, async () => {
      try {
        return await task();
      } catch (error) {
        throw explain(error, target);
      }
    });
  const lower = (h: string) => h.toLowerCase() as Hash;
  const rootsOf = async (heights: number[]) => {
    const roots = new Map<number, Hash>();
    for (let i = 0; i < heights.length; i += CHUNK) {
      const chunk = heights.slice(i, i + CHUNK);
      const values = await read(`Reading rootOf(${chunk[0]}…${chunk.at(-1)})`, () => readRoots(client, address, chunk));
      for (const [h, root] of values) roots.set(h, lower(root));
    }
    return roots;
  };
  return {
    registry: address,
    chainId: () => read("Asking the RPC for its chain id", () => getChainId(client)),
    deployed: () => read("Reading the registry's code", async () => ((await getCode(client, { address })) ?? "0x") !== "0x"),
    genesisRoot: () => read("Reading genesisRoot()", async () => lower(await readContract(client, { address, abi: rootRegistryAbi, functionName: "genesisRoot" }))),
    latestHeight: () => read("Reading latestHeight()", async () => Number(await readContract(client, { address, abi: rootRegistryAbi, functionName: "latestHeight" }))),
    readRoot: async (height) => (await rootsOf([height])).get(height)!,
    rootsOf,
    isReceiptSigner: (account) =>
      read(`Reading hasRole(RECEIPT_SIGNER_ROLE, ${account})`, () =>
        readContract(client, { address, abi: rootRegistryAbi, functionName: "hasRole", args: [RECEIPT_SIGNER_ROLE, account] }),
      ),
  };
}

/** A registry read's failure as a sentence: no contract there, the node unreachable, or its error. */
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
