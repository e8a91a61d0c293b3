/**
 * The block tree built on flat byte buffers, for large blocks: the same `BlockTree` as
 * `buildBlockTree` (same root, node layout and sorted order, PROTOCOL §3), about two orders of
 * magnitude faster than the reference library. No hex strings, no per-hash allocation:
 *
 *  1. the entry hashes are copied into one buffer and turned into leaves in place by a Keccak
 *     WebAssembly kernel specialised for 32-byte inputs (./keccak-wasm, ./keccak-kernel);
 *  2. the leaves are ordered by a radix sort on their first four bytes (./leaf-sort);
 *  3. each leaf is copied to its node slot, and the kernel hashes the inner nodes from the last
 *     down to the root, three at a time where the engine has SIMD.
 *
 * Memory stays near the size of the result: the leaves are computed where the first half of the
 * nodes will go, so a million-entry build works in one ~68 MB buffer (nodes, then the sorted
 * order), then copies the 64 MB of nodes out so the kernel's memory is freed with it.
 *
 * In a browser, `await prepareKeccakKernel()` once before building: it compiles the kernel
 * asynchronously, as Chrome requires on the main thread for modules of this size. Without a
 * kernel the builders still work, hashing with @noble/hashes (same result, ~20× slower).
 */
import { hashPairBytes, leafBytesOf } from "./hash";
import { bytesToHex } from "./hex";
import { createKeccakKernel } from "./keccak-kernel";
import { KERNEL_HEADER_BYTES } from "./keccak-wasm";
import { sortLeafOrder } from "./leaf-sort";
import { NODE_BYTES, type BlockTree } from "./merkle";

export { prepareKeccakKernel } from "./keccak-kernel";

/** The work of one build, over one buffer: a WASM kernel's memory or, without WebAssembly, plain JS. */
interface TreeWorkspace {
  readonly bytes: Uint8Array;
  /** Turns the `count` entry hashes at `LEAVES + 32·from` into their leaves, in place. */
  hashLeaves(count: number, from?: number): void;
  /** Copies leaf `order[i]` to its node slot `2n-2-i`, for every i. */
  placeLeaves(order: Uint32Array): void;
  /** Hashes the inner nodes `count-2` down to 0. */
  hashInnerNodes(count: number): void;
}

/**
 * Which hashing to use: `"auto"` (default) picks the SIMD WASM kernel where the engine has SIMD,
 * else the scalar one, else JS. The others force one path, for tests and benchmarks.
 */
export type TreeHashing = "auto" | "wasm-simd" | "wasm-scalar" | "js";

/** Where the work happens: leaves at `LEAVES`, node k at `NODES + 32k`; leaf i's node slot lies past the last leaf. */
const LEAVES = KERNEL_HEADER_BYTES;
const NODES = LEAVES + NODE_BYTES;

/**
 * Builds the block tree over entry hashes given one array each; the same result as `buildBlockTree`.
 * Requires at least one entry, each 32 bytes. Throws a RangeError otherwise, and an Error when
 * `hashing` forces a kernel this engine cannot run.
 */
export function buildBlockTreeFast(entryHashes: readonly Uint8Array[], hashing: TreeHashing = "auto"): BlockTree {
  const count = entryHashes.length;
  const work = workspaceFor(count, hashing);
  for (let position = 0; position < count; position++) {
    const entryHash = entryHashes[position];
    if (entryHash.length !== 32) {
      throw new RangeError(`Entry ${position} is ${entryHash.length} bytes; entry hashes are 32 bytes.`);
    }
    work.bytes.set(entryHash, LEAVES + NODE_BYTES * position);
  }
  return finishTree(work, count);
}

/**
 * Builds the block tree over entry hashes packed back to back (`count × 32` bytes, e.g. as read
 * from the database); the same result as `buildBlockTree` over the 32-byte slices, in order.
 * Throws a RangeError when `packed` is empty or not a whole number of 32-byte hashes.
 */
export function buildBlockTreePacked(packed: Uint8Array, hashing: TreeHashing = "auto"): BlockTree {
  if (packed.length % NODE_BYTES !== 0) {
    throw new RangeError(`Packed entry hashes are ${packed.length} bytes, not a multiple of 32; each hash is 32 bytes.`);
  }
  const count = packed.length / NODE_BYTES;
  const work = workspaceFor(count, hashing);
  work.bytes.set(packed, LEAVES);
  return finishTree(work, count);
}

/**
 * The leaves of entry hashes packed back to back, packed the same way: the first step of a build,
 * done ahead (e.g. before a lock is taken) for `buildBlockTreeFromLeaves`.
 */
export function leavesOfPacked(packed: Uint8Array, hashing: TreeHashing = "auto"): Uint8Array {
  if (packed.length % NODE_BYTES !== 0) throw new RangeError(`Packed entry hashes are ${packed.length} bytes, not a multiple of 32.`);
  const count = packed.length / NODE_BYTES;
  if (count === 0) return new Uint8Array(0);
  const work = workspaceFor(count, hashing);
  work.bytes.set(packed, LEAVES);
  work.hashLeaves(count);
  return work.bytes.slice(LEAVES, LEAVES + packed.length);
}

/**
 * The same tree as `buildBlockTreePacked(concat(entries, more))`, given `leavesOfPacked(entries)`
 * instead of `entries`: only the entries of `more` are hashed into leaves here.
 */
export function buildBlockTreeFromLeaves(leaves: Uint8Array, more: Uint8Array, hashing: TreeHashing = "auto"): BlockTree {
  if (leaves.length % NODE_BYTES !== 0 || more.length % NODE_BYTES !== 0) throw new RangeError("Leaves and entry hashes are 32 bytes each.");
  const ready = leaves.length / NODE_BYTES;
  const count = ready + more.length / NODE_BYTES;
  const work = workspaceFor(count, hashing);
  work.bytes.set(leaves, LEAVES);
  work.bytes.set(more, LEAVES + leaves.length);
  if (count > ready) work.hashLeaves(count - ready, ready);
  return placeAndHash(work, count);
}

function finishTree(work: TreeWorkspace, count: number): BlockTree {
  work.hashLeaves(count);
  return placeAndHash(work, count);
}

function placeAndHash(work: TreeWorkspace, count: number): BlockTree {
  const sortedEntryIndex = sortLeafOrder(work.bytes, LEAVES, count);
  work.placeLeaves(sortedEntryIndex);
  if (count > 1) work.hashInnerNodes(count);
  const nodes = work.bytes.slice(NODES, NODES + NODE_BYTES * (2 * count - 1));
  return { size: count, root: bytesToHex(nodes.subarray(0, NODE_BYTES)), nodes, sortedEntryIndex };
}

/** Byte offset of node `2n-2`, where leaf 0 (sorted) goes; leaf i goes 32·i bytes before. */
const firstLeafSlot = (count: number) => NODES + NODE_BYTES * (2 * count - 2);

function workspaceFor(count: number, hashing: TreeHashing): TreeWorkspace {
  if (count === 0) throw new RangeError("A block tree needs at least one entry: a block is never empty.");
  // The leaves overlap nodes 0..n-2 (see LEAVES and NODES); after the nodes, room for the sorted order.
  const orderAt = NODES + NODE_BYTES * (2 * count - 1);
  const byteLength = orderAt + 4 * count;
  const variant = hashing === "wasm-simd" ? "simd" : hashing === "wasm-scalar" ? "scalar" : undefined;
  const kernel = hashing === "js" ? null : createKeccakKernel(byteLength - KERNEL_HEADER_BYTES, variant);
  if (kernel === null) {
    if (variant !== undefined) throw new Error(`This engine cannot run the ${hashing} Keccak kernel.`);
    return jsWorkspace(byteLength);
  }
  const { bytes, exports } = kernel;
  return {
    bytes,
    hashLeaves: (n, from = 0) => exports.leaves(LEAVES + NODE_BYTES * from, n),
    placeLeaves(order) {
      new Uint32Array(bytes.buffer, orderAt, order.length).set(order);
      exports.gatherLeaves(orderAt, LEAVES, firstLeafSlot(order.length), order.length);
    },
    hashInnerNodes: (n) => exports.innerNodes(NODES, n - 2, 0),
  };
}

/** The same work with @noble/hashes, for engines that cannot run WebAssembly: correct, ~20× slower. */
function jsWorkspace(byteLength: number): TreeWorkspace {
  const bytes = new Uint8Array(byteLength);
  const at = (offset: number) => bytes.subarray(offset, offset + NODE_BYTES);
  return {
    bytes,
    hashLeaves(count, from = 0) {
      for (let i = 0, offset = LEAVES + NODE_BYTES * from; i < count; i++, offset += NODE_BYTES) bytes.set(leafBytesOf(at(offset)), offset);
    },
    placeLeaves(order) {
      const slot = firstLeafSlot(order.length);
      for (let i = 0; i < order.length; i++) bytes.copyWithin(slot - NODE_BYTES * i, LEAVES + NODE_BYTES * order[i], LEAVES + NODE_BYTES * (order[i] + 1));
    },
    hashInnerNodes(count) {
      for (let k = count - 2; k >= 0; k--) {
        bytes.set(hashPairBytes(at(NODES + NODE_BYTES * (2 * k + 1)), at(NODES + NODE_BYTES * (2 * k + 2))), NODES + NODE_BYTES * k);
      }
    },
  };
}
