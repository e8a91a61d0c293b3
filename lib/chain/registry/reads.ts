/**
 * The server's reads of the RootRegistry (PROTOCOL §4) on a viem client it already holds: a
 * snapshot pinned to one chain block, the roots of many heights, the RootAnchored events. The
 * registry reader of the browser, the CLI and the monitor (reader.ts) reads roots with `readRoots`.
 */
import { keccak256, toBytes, zeroHash, type Address, type Client, type Hash, type PublicClient } from "viem";
import { readContract } from "viem/actions";
import { rootRegistryAbi } from "./abi";

/** `RootRegistry.ANCHORER_ROLE`. */
export const ANCHORER_ROLE: Hash = keccak256(toBytes("ANCHORER_ROLE"));
/** `RootRegistry.RECEIPT_SIGNER_ROLE`. */
export const RECEIPT_SIGNER_ROLE: Hash = keccak256(toBytes("RECEIPT_SIGNER_ROLE"));

/** The registry as seen at one chain block: every later read in a pass is pinned to `blockNumber`. */
export interface RegistrySnapshot {
  blockNumber: bigint;
  /** False when there is no contract code at the address. */
  deployed: boolean;
  genesisRoot: Hash | null;
  latestHeight: number;
}

/** Reads whether the registry exists, its genesis root and its latest height, all at the current block. */
export async function readRegistrySnapshot(client: PublicClient, registry: Address): Promise<RegistrySnapshot> {
  const blockNumber = await client.getBlockNumber({ cacheTime: 0 });
  const code = await client.getCode({ address: registry, blockNumber });
  if (!code || code === "0x") return { blockNumber, deployed: false, genesisRoot: null, latestHeight: 0 };
  const [genesisRoot, latestHeight] = await Promise.all([
    client.readContract({ address: registry, abi: rootRegistryAbi, functionName: "genesisRoot", blockNumber }),
    client.readContract({ address: registry, abi: rootRegistryAbi, functionName: "latestHeight", blockNumber }),
  ]);
  return { blockNumber, deployed: true, genesisRoot, latestHeight: Number(latestHeight) };
}

/** `RootRegistry.hasRole(role, account)`, at the current block. */
export async function hasRegistryRole(client: Client, registry: Address, role: Hash, account: Address): Promise<boolean> {
  return readContract(client, { address: registry, abi: rootRegistryAbi, functionName: "hasRole", args: [role, account] });
}

/** `RootRegistry.latestHeight()`, at the current block. */
export async function readLatestHeight(client: Client, registry: Address): Promise<number> {
  return Number(await readContract(client, { address: registry, abi: rootRegistryAbi, functionName: "latestHeight" }));
}

const READ_CHUNK = 200;

/**
 * Reads `rootOf(h)` for every height, at `blockNumber` (default latest), a chunk of JSON-RPC calls
 * batched at a time. A height not anchored maps to the zero hash.
 */
export async function readRoots(client: Client, registry: Address, heights: number[], blockNumber?: bigint): Promise<Map<number, Hash>> {
  const roots = new Map<number, Hash>();
  for (let i = 0; i < heights.length; i += READ_CHUNK) {
    const chunk = heights.slice(i, i + READ_CHUNK);
    const values = await Promise.all(
      chunk.map((h) => readContract(client, { address: registry, abi: rootRegistryAbi, functionName: "rootOf", args: [BigInt(h)], blockNumber })),
    );
    chunk.forEach((h, j) => roots.set(h, values[j]));
  }
  return roots;
}

/** Tells whether a root read from the registry means "nothing anchored there". */
export function isUnanchored(root: Hash | undefined): boolean {
  return root === undefined || root === zeroHash;
}

/** Where a RootAnchored event was emitted. */
export interface AnchorEvent {
  height: number;
  root: Hash;
  txHash: Hash;
  blockNumber: number;
}

const LOG_CHUNK = 100;

/**
 * Blocks per log query. Public RPC providers cap the range of `eth_getLogs` (commonly 2,000 to
 * 10,000 blocks), so a long history is read in windows of this size.
 */
export const LOG_BLOCK_WINDOW = 2_000n;

/**
 * Finds the RootAnchored events of the given heights (the height is indexed), from block `fromBlock`
 * to `toBlock`, in windows of `window` blocks. This is how the job learns the transaction of a
 * root it finds on chain but never recorded (a crash between sending and recording, or another
 * process of the same operator).
 */
export async function findAnchorEvents(
  client: PublicClient,
  registry: Address,
  heights: number[],
  fromBlock: bigint,
  toBlock: bigint,
  window: bigint = LOG_BLOCK_WINDOW,
): Promise<Map<number, AnchorEvent>> {
  const found = new Map<number, AnchorEvent>();
  for (let i = 0; i < heights.length; i += LOG_CHUNK) {
    const chunk = heights.slice(i, i + LOG_CHUNK).map(BigInt);
    for (let from = fromBlock; from <= toBlock; from += window) {
      const to = from + window - 1n < toBlock ? from + window - 1n : toBlock;
      const logs = await client.getContractEvents({
        address: registry,
        abi: rootRegistryAbi,
        eventName: "RootAnchored",
        args: { height: chunk },
        fromBlock: from,
        toBlock: to,
        strict: true,
      });
      for (const log of logs) {
        if (log.blockNumber === null || log.transactionHash === null) continue;
        // Windows and logs come in chain order: the last one for a height is the one in force.
        found.set(Number(log.args.height), { height: Number(log.args.height), root: log.args.root, txHash: log.transactionHash, blockNumber: Number(log.blockNumber) });
      }
    }
  }
  return found;
}
