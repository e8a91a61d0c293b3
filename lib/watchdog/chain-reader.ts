/**
 * What a watchdog reads from the RootRegistry (PROTOCOL §4) through its own RPC endpoint, with
 * viem, each read retried with backoff (retry.ts) before the chain is declared unreachable.
 */
import { createPublicClient, getAddress, http, type Address, type PublicClient } from "viem";
import { rootRegistryAbi } from "../chain/abi";
import { RECEIPT_SIGNER_ROLE } from "../chain/registry-reads";
import { ZERO_HASH, type Hash } from "../protocol/hex";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry";

/** What `rootOf(h)` answers for a height not anchored. */
export const ZERO_ROOT: Hash = ZERO_HASH;

export interface ChainReader {
  readonly registry: Address;
  chainId(): Promise<number>;
  /** Whether there is contract code at the registry address. */
  deployed(): Promise<boolean>;
  genesisRoot(): Promise<Hash>;
  latestHeight(): Promise<number>;
  /** `rootOf(h)` for each height (0x00…00 where nothing is anchored), batched. */
  rootsOf(heights: number[]): Promise<Map<number, Hash>>;
  /** Whether `account` holds RECEIPT_SIGNER_ROLE on the registry now. */
  isReceiptSigner(account: Address): Promise<boolean>;
}

export interface ChainReaderOptions {
  retry?: RetryPolicy;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const CHUNK = 100;

/** A reader of `registry` through `rpcUrl`. Methods throw UnreachableError when every retry failed. */
export function createChainReader(rpcUrl: string, registry: Address, options: ChainReaderOptions = {}): ChainReader {
  const address = getAddress(registry);
  // viem's own retries are off: ours back off longer, and say what failed.
  const client: PublicClient = createPublicClient({ transport: http(rpcUrl, { batch: { batchSize: CHUNK, wait: 0 }, retryCount: 0, timeout: options.timeoutMs ?? 10_000 }) });
  const retry = options.retry ?? DEFAULT_RETRY;
  const read = <T>(what: string, task: () => Promise<T>) => withRetry(`${what} (registry ${address})`, task, retry, options.sleep);
  const lower = (h: string) => h.toLowerCase() as Hash;
  return {
    registry: address,
    chainId: () => read("Asking the RPC for its chain id", () => client.getChainId()),
    deployed: () => read("Reading the registry's code", async () => ((await client.getCode({ address })) ?? "0x") !== "0x"),
    genesisRoot: () => read("Reading genesisRoot()", async () => lower(await client.readContract({ address, abi: rootRegistryAbi, functionName: "genesisRoot" }))),
    latestHeight: () => read("Reading latestHeight()", async () => Number(await client.readContract({ address, abi: rootRegistryAbi, functionName: "latestHeight" }))),
    async rootsOf(heights) {
      const roots = new Map<number, Hash>();
      for (let i = 0; i < heights.length; i += CHUNK) {
        const chunk = heights.slice(i, i + CHUNK);
        const values = await read(`Reading rootOf(${chunk[0]}…${chunk.at(-1)})`, () =>
          Promise.all(chunk.map((h) => client.readContract({ address, abi: rootRegistryAbi, functionName: "rootOf", args: [BigInt(h)] }))),
        );
        chunk.forEach((h, j) => roots.set(h, lower(values[j])));
      }
      return roots;
    },
    isReceiptSigner: (account) =>
      read(`Reading hasRole(RECEIPT_SIGNER_ROLE, ${account})`, () =>
        client.readContract({ address, abi: rootRegistryAbi, functionName: "hasRole", args: [RECEIPT_SIGNER_ROLE, account] }),
      ),
  };
}
