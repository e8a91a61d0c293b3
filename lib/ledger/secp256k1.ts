/**
 * Ethereum signatures over 32-byte digests (secp256k1, RFC 6979 deterministic nonce, low s,
 * v = 27 + recovery id), as viem's `sign` makes them, computed by libsecp256k1 when its native
 * binding loads and by viem otherwise.
 *
 * Why a native binding: viem signs with @noble/curves in JavaScript, 0.36–0.43 ms a signature here,
 * which made an acceptance receipt cost 3.5 times the record's own Ed25519 check. Measured on this
 * machine (2 shared cores, 20,000 digests):
 *
 * | library | kind | ms per signature |
 * |---|---|---|
 * | `secp256k1` 5.0.2 (libsecp256k1, N-API) | native, prebuilt binaries in the package | 0.042–0.047 |
 * | `tiny-secp256k1` 2.2.4 (libsecp256k1) | WebAssembly | 0.12–0.25 |
 * | viem `sign` (@noble/curves) | JavaScript | 0.36–0.38 |
 * | `secp256k1` 5.0.2, its own `elliptic` fallback | JavaScript | 0.71–0.88 |
 *
 * All four gave the same 65 bytes on every digest. The `secp256k1` package ships prebuilt binaries
 * for linux-x64 (glibc and musl), darwin-arm64 and win32-x64, so installing it downloads and
 * compiles nothing. Where none fits (or the binding fails to load for any other reason), this
 * module does NOT use that package's own fallback (elliptic, twice as slow as viem): it says so
 * once on stderr and signs with viem, whose output is the reference.
 */
import { createRequire } from "node:module";
import type { Hex } from "viem";
import { sign as viemSign } from "viem/accounts";
import { startSigningWorker, type SigningWorker } from "./secp256k1-worker";

/** The part of the `secp256k1` package's API used here (its types are not shipped for this entry point). */
interface NativeSecp256k1 {
  ecdsaSign(msg32: Uint8Array, seckey: Uint8Array): { signature: Uint8Array; recid: number };
}

/** Which implementation signs. */
export type Secp256k1Backend =
  | { kind: "libsecp256k1"; native: NativeSecp256k1 }
  | { kind: "viem"; reason: string };

/** Signs 32-byte digests with one private key. */
export interface DigestSigner {
  /** "libsecp256k1" (native) or "viem" (the JavaScript fallback). */
  readonly backend: Secp256k1Backend["kind"];
  /**
   * Signs `digest` (32 bytes) and returns r ‖ s ‖ v as 0x-hex (65 bytes, v = 27 or 28), the bytes
   * viem's `sign({ hash, privateKey, to: "hex" })` returns.
   */
  sign(digest: Uint8Array): Promise<Hex>;
  /** The same for many digests at once; with the native binding, one synchronous loop. */
  signMany(digests: readonly Uint8Array[]): Promise<Hex[]>;
}

/** Loads the native binding, or throws why it cannot be loaded. */
function loadNativeBinding(): NativeSecp256k1 {
  // The package's entry point `secp256k1` would silently fall back to elliptic; its `bindings`
  // entry is the native addon alone (node-gyp-build picks the prebuilt binary for this platform).
  return createRequire(import.meta.url)("secp256k1/bindings.js") as NativeSecp256k1;
}

/**
 * Chooses the backend once: libsecp256k1 when `load()` returns it, otherwise viem, after calling
 * `notify` once with a sentence saying why and what it costs. Every later call returns the same
 * choice without a word.
 */
export function createBackendChooser(load: () => NativeSecp256k1 = loadNativeBinding, notify: (notice: string) => void = (n) => console.warn(`[sealbook] ${n}`)): () => Secp256k1Backend {
  let chosen: Secp256k1Backend | null = null;
  return () => {
    if (chosen) return chosen;
    try {
      chosen = { kind: "libsecp256k1", native: load() };
    } catch (error) {
      const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
      chosen = { kind: "viem", reason };
      notify(
        `The native libsecp256k1 binding (npm package secp256k1) could not be loaded on this platform (${process.platform}-${process.arch}): ${reason}. ` +
          "Acceptance receipts are signed with viem instead: the same signatures, about ten times slower (0.4 ms a receipt instead of 0.04).",
      );
    }
    return chosen;
  };
}

// Shared through globalThis: Next.js bundles its own copy of this module beside the one
// scripts/start.ts loads, and the process should choose (and tell) once.
const CHOOSER_KEY = Symbol.for("sealbook.secp256k1-backend");
type ChooserGlobal = typeof globalThis & { [CHOOSER_KEY]?: () => Secp256k1Backend };

/** This process's backend, chosen on first use (see `createBackendChooser`). */
export function secp256k1Backend(): Secp256k1Backend {
  const g = globalThis as ChooserGlobal;
  g[CHOOSER_KEY] ??= createBackendChooser();
  return g[CHOOSER_KEY]();
}

/**
 * A digest signer for `privateKey` (0x and 64 hex digits, already validated as a secp256k1 key),
 * on `backend` (this process's by default).
 */
export function createDigestSigner(privateKey: Hex, backend: Secp256k1Backend = secp256k1Backend()): DigestSigner {
  if (backend.kind === "viem") {
    const signOne = (digest: Uint8Array) => viemSign({ hash: `0x${Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString("hex")}`, privateKey, to: "hex" });
    return { backend: "viem", sign: signOne, signMany: (digests) => Promise.all(digests.map(signOne)) };
  }
  const { native } = backend;
  const key = Buffer.from(privateKey.slice(2), "hex");
  const signOne = (digest: Uint8Array): Hex => {
    const { signature, recid } = native.ecdsaSign(digest, key);
    const out = Buffer.allocUnsafe(65);
    out.set(signature, 0);
    out[64] = 27 + recid;
    return `0x${out.toString("hex")}`;
  };
  // Batches go to a worker thread (started on the first large batch), so that the main thread
  // serves other requests meanwhile; small ones are cheaper signed here than sent there.
  let worker: SigningWorker | null | undefined;
  return {
    backend: "libsecp256k1",
    sign: async (digest) => signOne(digest),
    signMany: async (digests) => {
      if (digests.length < WORKER_BATCH_MIN) return digests.map(signOne);
      if (worker === undefined) worker = startSigningWorker(key); // null: none, sign here
      if (!worker) return digests.map(signOne);
      try {
        return await worker.signMany(digests);
      } catch (error) {
        console.warn(`[sealbook] ${(error as Error).message} Receipts are signed on the main thread from now on.`);
        worker = null;
        return digests.map(signOne);
      }
    },
  };
}

/** The smallest batch sent to the signing worker: below it, posting the batch costs more than it frees. */
const WORKER_BATCH_MIN = 32;
