/**
 * Compiling and instantiating the Keccak kernel of ./keccak-wasm. The module is compiled once;
 * each job gets a fresh instance with its own memory, sized for it and freed with it (a WASM
 * memory can grow but never shrink, so a shared one would keep its largest size forever).
 */
import { KERNEL_HEADER_BYTES, keccakModuleBytes } from "./keccak-wasm";

/** A kernel's functions; pointers are byte offsets into its memory, at or after `KERNEL_HEADER_BYTES`. */
export interface KeccakKernelExports {
  /** `dst[0..32] = keccak256(src[0..32])`; `dst` may equal `src`. */
  keccak32(src: number, dst: number): void;
  /** `dst[0..32] = keccak256(lo[0..32] ‖ hi[0..32])`. */
  keccakPair(lo: number, hi: number, dst: number): void;
  /** Turns `count >= 1` entry hashes at `ptr` into their leaves `keccak256(keccak256(e))`, in place. */
  leaves(ptr: number, count: number): void;
  /** For k from `kFrom` down to `kTo` (kFrom >= kTo >= 0): node k = sorted-pair hash of nodes 2k+1 and 2k+2, node k at `base + 32k`. */
  innerNodes(base: number, kFrom: number, kTo: number): void;
  /** For i < `count` (>= 1): copies the 32 bytes at `leaves + 32·u32[order + 4i]` to `firstSlot - 32i`. */
  gatherLeaves(order: number, leaves: number, firstSlot: number, count: number): void;
  /** Three `keccak32` at once (SIMD kernels only). */
  keccak32x3?(src0: number, dst0: number, src1: number, dst1: number, src2: number, dst2: number): void;
  /** Three `keccakPair` at once (SIMD kernels only). */
  keccakPairx3?(lo0: number, hi0: number, dst0: number, lo1: number, hi1: number, dst1: number, lo2: number, hi2: number, dst2: number): void;
}

/** `"simd"`: three hashes at a time, two in 128-bit lanes and one in i64s; `"scalar"`: one at a time, for engines without SIMD. */
export type KeccakKernelVariant = "simd" | "scalar";

/** An instance with its own memory, for one job. */
export interface KeccakKernel {
  readonly variant: KeccakKernelVariant;
  /** All of the kernel's memory; the caller's data starts at `KERNEL_HEADER_BYTES`. */
  readonly bytes: Uint8Array;
  readonly exports: KeccakKernelExports;
}

const compiled = new Map<KeccakKernelVariant, WebAssembly.Module | Error>();
const WASM_PAGE_BYTES = 65536;
const MAX_WASM_PAGES = 65536; // 4 GiB, the most a 32-bit memory can address

let best: KeccakKernelVariant | null | undefined;
const moduleBytes = new Map<KeccakKernelVariant, Uint8Array<ArrayBuffer>>();

/** The module of `variant`, generated once (it takes a few tens of milliseconds). */
function bytesOf(variant: KeccakKernelVariant): Uint8Array<ArrayBuffer> {
  let bytes = moduleBytes.get(variant);
  if (bytes === undefined) moduleBytes.set(variant, (bytes = keccakModuleBytes(variant === "simd")));
  return bytes;
}

/** The variant this engine runs best: SIMD when it validates, else scalar; null without WebAssembly. */
export function bestKeccakKernelVariant(): KeccakKernelVariant | null {
  if (best === undefined) {
    try {
      best = typeof WebAssembly !== "object" ? null : WebAssembly.validate(bytesOf("simd")) ? "simd" : "scalar";
    } catch {
      best = null; // an engine that exposes WebAssembly but refuses to use it (some locked-down embeddings)
    }
  }
  return best;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function compileSync(variant: KeccakKernelVariant): WebAssembly.Module | Error {
  let result = compiled.get(variant);
  if (result === undefined) {
    try {
      result = new WebAssembly.Module(bytesOf(variant));
    } catch (error) {
      // A browser may refuse synchronous compilation on its main thread, or a CSP may forbid WASM;
      // the caller then hashes in JS. Remembered, so the failure is not retried on every build.
      result = asError(error);
    }
    compiled.set(variant, result);
  }
  return result;
}

/**
 * Compiles the kernel asynchronously, ahead of the first tree build. Browsers should call this once
 * (e.g. when the verifier loads): Chrome refuses synchronous compilation of larger modules on the
 * main thread, and without a kernel the builders fall back to JS hashing (correct, far slower).
 * Resolves to true when a WASM kernel is ready, false when this engine cannot run one.
 */
export async function prepareKeccakKernel(): Promise<boolean> {
  const variant = bestKeccakKernelVariant();
  if (variant === null) return false;
  if (!(compiled.get(variant) instanceof WebAssembly.Module)) {
    try {
      compiled.set(variant, await WebAssembly.compile(bytesOf(variant)));
    } catch (error) {
      compiled.set(variant, asError(error));
    }
  }
  return compiled.get(variant) instanceof WebAssembly.Module;
}

/**
 * A fresh kernel with `dataBytes` bytes of memory after the header, or null when this engine cannot
 * run WebAssembly (then hash in JS). `variant` forces one module, for tests and benchmarks.
 * Throws a RangeError when `dataBytes` does not fit a 4 GiB WASM memory.
 */
export function createKeccakKernel(dataBytes: number, variant?: KeccakKernelVariant): KeccakKernel | null {
  const chosen = variant ?? bestKeccakKernelVariant();
  if (chosen === null) return null;
  const module = compileSync(chosen);
  if (!(module instanceof WebAssembly.Module)) return null;
  const pages = Math.ceil((KERNEL_HEADER_BYTES + dataBytes) / WASM_PAGE_BYTES);
  if (pages > MAX_WASM_PAGES) {
    throw new RangeError(`A Keccak kernel cannot hold ${dataBytes} bytes: a WebAssembly memory is at most 4 GiB. Split the work.`);
  }
  const memory = new WebAssembly.Memory({ initial: pages });
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  return { variant: chosen, bytes: new Uint8Array(memory.buffer), exports: instance.exports as unknown as KeccakKernelExports };
}
