import { Worker } from "node:worker_threads";
import { exportJWK, generateKeyPair } from "jose";
import { openDatabase } from "../../db/client";
import { openLedger } from "../../lib/ledger/context";
import { registerSigner } from "../../lib/ledger/signers/signers";
import type { Hash } from "../../lib/protocol/hex";
import { createBenchDatabase, startBenchServer, type BenchServer, type BenchServerOptions } from "./server";
import { signManyRecords } from "./sign-workers";

export const BENCH_LEDGER = "bench";

/**
 * A fresh PostgreSQL ledger with one registered Ed25519 signer, served by the real system; with
 * `chain`, as `npm start` runs by default (a local chain, receipts signed), see `startBenchServer`.
 */
export async function benchLedgerServer(dbName: string, port: number, options: BenchServerOptions): Promise<{ server: BenchServer; sign(count: number): Promise<string[]>; genesisRoot: Hash; drop(): Promise<void> }> {
  const database = await createBenchDatabase(dbName);
  const handle = await openDatabase({ url: database.url, maxConnections: 2 });
  const ledger = await openLedger(handle, BENCH_LEDGER);
  const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const signer = await registerSigner(ledger, { publicJwk: await exportJWK(publicKey), label: "benchmark signer", validFrom: new Date(Date.now() - 60_000) });
  const privateJwk = await exportJWK(privateKey);
  await handle.close();
  const server = await startBenchServer(database.url, port, { LEDGER_ID: BENCH_LEDGER }, options);
  return {
    server,
    genesisRoot: ledger.genesisRoot,
    sign: (count) => signManyRecords(privateJwk, signer.kid, ledger.genesisRoot, count),
    drop: async () => {
      await server.stop();
      await database.drop();
    },
  };
}

/**
 * Sends `jws` as one batch and checks the answer: every record accepted, each with a receipt when
 * `receipts` (so a benchmark of the chain-on configuration cannot silently run without them), none
 * otherwise. Throws saying what differed.
 */
export async function checkBatchAnswer(url: string, jws: string[], receipts: boolean): Promise<void> {
  const response = await fetch(`${url}/api/v1/records/batch`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jws }) });
  const body = (await response.json()) as { accepted: number; results: Array<{ receipt?: unknown }>; receiptUnavailable?: string };
  if (!response.ok || body.accepted !== jws.length) throw new Error(`The warm-up batch was not accepted in full: ${response.status} ${JSON.stringify(body).slice(0, 400)}`);
  const signed = body.results.filter((r) => r.receipt).length;
  if (signed !== (receipts ? jws.length : 0)) {
    throw new Error(`The warm-up batch came back with ${signed} receipts for ${jws.length} records, expected ${receipts ? "one each" : "none"}${body.receiptUnavailable ? `: ${body.receiptUnavailable}` : ""}.`);
  }
}

/**
 * The raw Ed25519 verification rate of this machine on all its cores, measured now: one worker
 * thread per core verifies the same signature for `seconds`. This is the ceiling for ingest.
 */
export async function rawVerifyRate(threads: number, seconds = 2): Promise<number> {
  const code = `
    const { generateKeyPairSync, sign, verify } = require("node:crypto");
    const { parentPort, workerData } = require("node:worker_threads");
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const data = Buffer.alloc(600, 7);
    const sig = sign(null, data, privateKey);
    const end = Date.now() + workerData * 1000;
    let n = 0;
    while (Date.now() < end) { for (let i = 0; i < 100; i++) verify(null, data, publicKey, sig); n += 100; }
    parentPort.postMessage(n / workerData);`;
  const rates = await Promise.all(
    Array.from({ length: threads }, () => new Promise<number>((resolve, reject) => {
      const worker = new Worker(code, { eval: true, workerData: seconds });
      worker.once("message", resolve);
      worker.once("error", reject);
    })),
  );
  return rates.reduce((a, b) => a + b, 0);
}
