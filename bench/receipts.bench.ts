/**
 * `npm run bench receipts`: how long signing the receipts of a full batch (1,000) takes with the
 * ledger's signer (its own EIP-712 digest with hash-wasm's Keccak, then libsecp256k1), beside the
 * same signer on its viem fallback and viem's generic signTypedData, measured in the same run, and
 * beside verifying 1,000 Ed25519 record signatures (the work a batch needs anyway).
 */
import { keccak256, toBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { generateKeyPairSync, sign as edSign, verify as edVerify } from "node:crypto";
import { loadavg } from "node:os";
import { receiptDomain, type ReceiptMessage, receiptPrimaryType, receiptTypes } from "../lib/protocol/receipt";
import { DEV_ACCOUNTS } from "../lib/chain/dev-accounts";
import { secp256k1Backend } from "../lib/ledger/secp256k1";
import { prepareFastKeccak } from "../lib/protocol/hash";
import { createReceiptSigner } from "../lib/ledger/receipts";
import type { BenchResult } from "./harness";
import { median, round3, timeRuns } from "./harness";

const TARGET_MS = 0.05;

export async function run(args: string[]): Promise<BenchResult> {
  const runs = args.includes("--quick") ? 3 : 7;
  const batch = 1000;
  await prepareFastKeccak(); // as the server does at start
  const domain = receiptDomain(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
  const messages: ReceiptMessage[] = Array.from({ length: batch }, (_, i) => ({
    entryHash: keccak256(toBytes(`entry ${i}`)),
    prevRoot: keccak256(toBytes("root")),
    acceptedAt: 1_800_000_000 + i,
    sealBy: 1_800_000_330 + i,
  }));
  const signer = createReceiptSigner(DEV_ACCOUNTS.receiptSigner, domain);
  const fallback = createReceiptSigner(DEV_ACCOUNTS.receiptSigner, domain, { kind: "viem", reason: "measured for comparison" });
  const account = privateKeyToAccount(DEV_ACCOUNTS.receiptSigner);
  await signer.signMany(messages); // warm up
  // CPU time beside wall time: on a machine shared with other jobs the wall clock also counts the
  // time this process waited for a core; the CPU time is what signing costs.
  const cpuRuns: number[] = [];
  const batched = await timeRuns(runs, async () => {
    const before = process.cpuUsage();
    await signer.signMany(messages);
    const used = process.cpuUsage(before);
    cpuRuns.push((used.user + used.system) / 1000);
  });
  const cpuPerReceipt = median(cpuRuns) / batch;
  const oneByOne = await timeRuns(runs, async () => {
    for (const m of messages) await signer.sign(m);
  });
  const viemRuns = Math.min(runs, 3);
  const onFallback = await timeRuns(viemRuns, () => fallback.signMany(messages));
  const viem = await timeRuns(viemRuns, async () => {
    for (const m of messages) {
      await account.signTypedData({ domain, types: receiptTypes, primaryType: receiptPrimaryType, message: { ...m, acceptedAt: BigInt(m.acceptedAt), sealBy: BigInt(m.sealBy) } });
    }
  });
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signatures = messages.map((m) => ({ data: Buffer.from(m.entryHash), signature: edSign(null, Buffer.from(m.entryHash), privateKey) }));
  const verify = await timeRuns(runs, () => {
    for (const s of signatures) edVerify(null, s.data, publicKey, s.signature);
  });
  const perReceipt = median(batched) / batch;
  const backend = secp256k1Backend();
  const rows = [
    { measure: `receipts for a batch of 1,000, ledger signer on ${signer.backend} (signMany, as ingest does)`, "median ms": round3(median(batched)), "ms per receipt": round3(perReceipt), target: `≤ ${TARGET_MS}: ${perReceipt <= TARGET_MS ? "met" : "missed"}` },
    { measure: "  the same, CPU time of this process (median)", "median ms": round3(cpuPerReceipt * batch), "ms per receipt": round3(cpuPerReceipt), target: `≤ ${TARGET_MS}: ${cpuPerReceipt <= TARGET_MS ? "met" : "missed"}` },
    { measure: "the same, one receipt at a time (sign)", "median ms": round3(median(oneByOne)), "ms per receipt": round3(median(oneByOne) / batch), target: "" },
    { measure: "the same signer on its viem fallback", "median ms": round3(median(onFallback)), "ms per receipt": round3(median(onFallback) / batch), target: "" },
    { measure: "viem signTypedData", "median ms": round3(median(viem)), "ms per receipt": round3(median(viem) / batch), target: "" },
    { measure: "reference: verify 1,000 Ed25519 signatures (node:crypto)", "median ms": round3(median(verify)), "ms per receipt": round3(median(verify) / batch), target: "" },
  ];
  return {
    title: `signing acceptance receipts, ${runs} runs (viem rows ${viemRuns}), median (load average ${loadavg()[0].toFixed(2)})`,
    rows,
    notes: [
      backend.kind === "libsecp256k1" ? "Signatures by libsecp256k1 through the npm package secp256k1 (native N-API binding, prebuilt binary)." : `The native binding did not load (${backend.reason}); the ledger signs with viem.`,
      "Signing happens after the batch is committed, in the request, with no network call.",
      `The ledger signer is ${round3(median(viem) / median(batched))}× faster than signTypedData and costs ${round3(median(batched) / median(verify))}× an Ed25519 verify; all give the same signature (test/watchdog/receipts.test.ts).`,
    ],
  };
}
