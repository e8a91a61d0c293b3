import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { JWK } from "jose";

/**
 * Signs `count` synthetic records against `prevRoot` with an Ed25519 private JWK, spread over
 * worker threads. Each record is a real, valid compact JWS (EdDSA, kid = the key's thumbprint).
 * Used to build benchmark data quickly; it signs with node:crypto directly.
 */
export async function signManyRecords(privateJwk: JWK, kid: string, prevRoot: string, count: number, threads = availableParallelism()): Promise<string[]> {
  const per = Math.ceil(count / threads);
  const parts = await Promise.all(
    Array.from({ length: threads }, (_, t) => {
      const n = Math.max(0, Math.min(per, count - t * per));
      return new Promise<string[]>((resolve, reject) => {
        const worker = new Worker(new URL("./sign-worker.mjs", import.meta.url), { workerData: { privateJwk, kid, prevRoot, n } });
        worker.once("message", resolve);
        worker.once("error", reject);
      });
    }),
  );
  return parts.flat();
}
