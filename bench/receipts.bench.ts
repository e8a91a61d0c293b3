/**
 * `npm run bench receipts`: how long signing the receipts of a full batch (1,000) takes with the
 * ledger's signer (its own EIP-712 digest, then secp256k1), beside viem's generic signTypedData
 * measured in the same run, and beside verifying 1,000 Ed25519 record signatures (the work a batch
 * needs anyway).
 */
import { keccak256, toBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { generateKeyPairSync, sign as edSign, verify as edVerify } from "node:crypto";
import { loadavg } from "node:os";
import { receiptDomain, receiptPrimaryType, receiptTypes } from "../lib/chain/receipt-types";
import { DEV_ACCOUNTS } from "../lib/chain/dev-accounts";
import { createReceiptSigner, type ReceiptMessage } from "../lib/watchdog/receipt";
import type { BenchResult } from "./harness";
import { median, round3, timeRuns } from "./harness";

export async function run(args: string[]): Promise<BenchResult> {
  const runs = args.includes("--quick") ? 3 : 7;
  const batch = 1000;
  const domain = receiptDomain(31337, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
  const messages: ReceiptMessage[] = Array.from({ length: batch }, (_, i) => ({
    entryHash: keccak256(toBytes(`entry ${i}`)),
    prevRoot: keccak256(toBytes("root")),
    acceptedAt: 1_800_000_000 + i,
    sealBy: 1_800_000_330 + i,
  }));
  const signer = createReceiptSigner(DEV_ACCOUNTS.receiptSigner, domain);
  const account = privateKeyToAccount(DEV_ACCOUNTS.receiptSigner);
  const ours = await timeRuns(runs, async () => {
    for (const m of messages) await signer.sign(m);
  });
  const viem = await timeRuns(runs, async () => {
    for (const m of messages) {
      await account.signTypedData({ domain, types: receiptTypes, primaryType: receiptPrimaryType, message: { ...m, acceptedAt: BigInt(m.acceptedAt), sealBy: BigInt(m.sealBy) } });
    }
  });
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signatures = messages.map((m) => ({ data: Buffer.from(m.entryHash), signature: edSign(null, Buffer.from(m.entryHash), privateKey) }));
  const verify = await timeRuns(runs, () => {
    for (const s of signatures) edVerify(null, s.data, publicKey, s.signature);
  });
  const rows = [
    { measure: "receipts for a batch of 1,000, ledger signer", "median ms": round3(median(ours)), "ms per receipt": round3(median(ours) / batch) },
    { measure: "the same with viem signTypedData", "median ms": round3(median(viem)), "ms per receipt": round3(median(viem) / batch) },
    { measure: "reference: verify 1,000 Ed25519 signatures (node:crypto)", "median ms": round3(median(verify)), "ms per receipt": round3(median(verify) / batch) },
  ];
  return {
    title: `signing acceptance receipts, ${runs} runs, median (load average ${loadavg()[0].toFixed(2)})`,
    rows,
    notes: [
      "Signing happens after the batch is committed, in the request, with no network call.",
      `The ledger signer is ${round3(median(viem) / median(ours))}× faster than signTypedData; both give the same signature (test/watchdog/receipts.test.ts).`,
    ],
  };
}
