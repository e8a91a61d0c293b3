/**
 * Signs batches of digests with libsecp256k1 on a worker thread. A batch of 500 receipts is about
 * 25 ms of signing; done on the main thread, it holds up every other request for that long, and
 * with a few batches in flight the second core sits idle meanwhile. On a worker it runs beside
 * the main thread, and the answer still carries one receipt per entry.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Hex } from "viem";

// Plain CommonJS, evaluated by the worker: it loads the same native binding from its resolved path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const native = require(workerData.bindingPath);
const key = Buffer.from(workerData.key);
parentPort.on("message", ({ id, digests }) => {
  try {
    const bytes = new Uint8Array(digests);
    const count = bytes.length / 32;
    const out = new Uint8Array(count * 65);
    for (let i = 0; i < count; i++) {
      const { signature, recid } = native.ecdsaSign(bytes.subarray(i * 32, i * 32 + 32), key);
      out.set(signature, i * 65);
      out[i * 65 + 64] = 27 + recid;
    }
    parentPort.postMessage({ id, signatures: out.buffer }, [out.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});`;

/** A worker thread that signs digests with one key. */
export interface SigningWorker {
  /** Signs each 32-byte digest; r ‖ s ‖ v as 0x-hex, v = 27 + recovery id. Rejects when the worker fails. */
  signMany(digests: readonly Uint8Array[]): Promise<Hex[]>;
}

/**
 * Starts a signing worker for `key` (32 bytes), or returns null when the binding's path cannot be
 * resolved from here (in a bundle, say); the caller then signs on its own thread. The worker keeps
 * the process alive only while it has work.
 */
export function startSigningWorker(key: Uint8Array): SigningWorker | null {
  let bindingPath: string;
  try {
    bindingPath = createRequire(import.meta.url).resolve("secp256k1/bindings.js");
  } catch {
    return null;
  }
  let worker: Worker | null = null;
  let broken: Error | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve(signatures: Hex[]): void; reject(error: Error): void; count: number }>();
  const failAll = (error: Error) => {
    broken = error;
    for (const p of pending.values()) p.reject(error);
    pending.clear();
    worker = null;
  };
  const started = () => {
    if (worker) return worker;
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { bindingPath, key: Uint8Array.from(key) } });
    w.on("message", (message: { id: number; signatures?: ArrayBuffer; error?: string }) => {
      const request = pending.get(message.id);
      if (!request) return;
      pending.delete(message.id);
      if (pending.size === 0) w.unref();
      if (!message.signatures) return request.reject(new Error(`The signing worker failed: ${message.error}`));
      const bytes = Buffer.from(message.signatures);
      request.resolve(Array.from({ length: request.count }, (_, i) => `0x${bytes.toString("hex", i * 65, i * 65 + 65)}` as Hex));
    });
    w.on("error", (error) => failAll(error));
    w.on("exit", (code) => failAll(new Error(`The signing worker exited (code ${code}).`)));
    w.unref();
    worker = w;
    return w;
  };
  return {
    signMany(digests) {
      if (broken) return Promise.reject(broken);
      const w = started();
      const packed = new Uint8Array(digests.length * 32);
      digests.forEach((d, i) => packed.set(d, i * 32));
      const id = nextId++;
      return new Promise<Hex[]>((resolve, reject) => {
        if (pending.size === 0) w.ref();
        pending.set(id, { resolve, reject, count: digests.length });
        w.postMessage({ id, digests: packed.buffer }, [packed.buffer]);
      });
    },
  };
}
