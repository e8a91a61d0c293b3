/**
 * Acceptance receipts (PROTOCOL §6): the vector, the fast signer against viem's signTypedData, the
 * parser, and the receipts the API hands out on acceptance (single and batch, PGlite), including
 * a ledger without a chain, which answers without a receipt and says why.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { keccak256, toBytes, verifyTypedData, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { installChainInfo } from "../../lib/chain/chain-info";
import { receiptDomain, receiptPrimaryType, receiptTypes } from "../../lib/chain/receipt-types";
import { readConfig } from "../../lib/config";
import { readHead } from "../../lib/ledger/head";
import { installRuntime } from "../../lib/server/runtime";
import { collectReceipts, createReceiptSigner, parseReceipt, recoverReceiptSigner, type SignedReceipt } from "../../lib/watchdog/receipt";
import { api } from "../support/api";
import { DEV_KEYS } from "../support/chain";
import { ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";
import { vectors } from "../support/vectors";

const { receipt: vector } = vectors;
const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;

describe("acceptance receipts", () => {
  it("reproduces the receipt vector: dev account #1 signs the vector's message to the vector's signature", async () => {
    const signer = createReceiptSigner(DEV_KEYS.receiptSigner, receiptDomain(vector.domain.chainId, vector.domain.verifyingContract));
    const signed = await signer.sign(vector.message);
    assert.equal(signed.signature, vector.signature);
    assert.equal(signed.signer, vector.signer);
    assert.deepEqual(JSON.parse(JSON.stringify(signed)), vector, "the receipt has the vector's shape, field for field");
    assert.equal(await recoverReceiptSigner(parseReceipt(vector)), vector.signer);
  });

  it("signs exactly what viem's signTypedData signs, and verifyTypedData accepts it", async () => {
    const account = privateKeyToAccount(DEV_KEYS.receiptSigner);
    const domain = receiptDomain(11155111, "0x000000000000000000000000000000000000dEaD");
    const signer = createReceiptSigner(DEV_KEYS.receiptSigner, domain);
    for (let i = 0; i < 20; i++) {
      const message = {
        entryHash: keccak256(toBytes(`entry ${i}`)),
        prevRoot: keccak256(toBytes(`root ${i}`)),
        acceptedAt: 1_700_000_000 + i * 7919,
        sealBy: 1_700_000_330 + i * 7919,
      };
      const typed = { domain, types: receiptTypes, primaryType: receiptPrimaryType, message: { ...message, acceptedAt: BigInt(message.acceptedAt), sealBy: BigInt(message.sealBy) } } as const;
      const ours = await signer.sign(message);
      assert.equal(ours.signature, await account.signTypedData(typed));
      assert.ok(await verifyTypedData({ ...typed, address: account.address, signature: ours.signature }));
    }
  });

  it("reads receipts from API answers and files, and rejects what is not one", () => {
    assert.equal(parseReceipt({ entryHash: vector.message.entryHash, receipt: vector }).signature, vector.signature);
    const batch = { accepted: 1, rejected: 1, results: [{ index: 0, status: "accepted", receipt: vector }, { index: 1, status: "rejected", problem: {} }] };
    assert.equal(collectReceipts(batch).receipts.length, 1);
    assert.equal(collectReceipts([vector, { receipt: vector }]).receipts.length, 2);
    assert.throws(() => parseReceipt({ ...vector, types: { Receipt: [{ name: "entryHash", type: "bytes32" }] } }), /not the protocol's Receipt type/);
    assert.throws(() => parseReceipt({ ...vector, signature: "0x1234" }), /65-byte signature/);
    assert.throws(() => parseReceipt({ ...vector, domain: { ...vector.domain, name: "Other" } }), /domain\.name/);
    assert.equal(collectReceipts([{ ...vector, message: { ...vector.message, sealBy: -1 } }]).invalid.length, 1);
  });
});

describe("receipts from the API (PGlite)", () => {
  let env: Awaited<ReturnType<typeof ledgerWithSigner>>;
  const useConfig = (extra: Record<string, string>) =>
    installRuntime({ config: readConfig({ LEDGER_ID: env.ledger.ledgerId, SEAL_INTERVAL_SECONDS: "30", SEAL_BY_MARGIN_SECONDS: "300", ...extra }), handle: env.db, ledger: env.ledger });
  before(async () => {
    env = await ledgerWithSigner("pglite");
  });
  after(async () => {
    await env?.db.dispose();
  });

  it("answers an accepted record with a receipt signed by RECEIPT_PRIVATE_KEY, sealBy = acceptedAt + interval + margin", async () => {
    installChainInfo({ chainId: 31337, registry: REGISTRY, rpcUrl: "http://127.0.0.1:1" });
    useConfig({ RPC_URL: "http://127.0.0.1:1", RECEIPT_PRIVATE_KEY: DEV_KEYS.receiptSigner });
    const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
    const response = await api.postRecord(await signedRecord(env.privateJwk, head.root));
    assert.equal(response.status, 201);
    const body = (await response.json()) as { entryHash: string; acceptedAt: string; receipt: SignedReceipt };
    const receipt = parseReceipt(body);
    assert.equal(receipt.message.entryHash, body.entryHash);
    assert.equal(receipt.message.prevRoot, head.root);
    assert.equal(receipt.message.acceptedAt, Math.floor(Date.parse(body.acceptedAt) / 1000));
    assert.equal(receipt.message.sealBy, receipt.message.acceptedAt + 330);
    assert.deepEqual(receipt.domain, { name: "Sealbook", version: "1", chainId: 31337, verifyingContract: REGISTRY });
    assert.equal(await recoverReceiptSigner(receipt), privateKeyToAccount(DEV_KEYS.receiptSigner).address);
    assert.equal(receipt.signer, privateKeyToAccount(DEV_KEYS.receiptSigner).address);
  });

  it("gives each accepted item of a batch its own receipt, none to the rejected ones; a batch of 1,000 is signed without a network call", async () => {
    const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
    const jws = await Promise.all(Array.from({ length: 1000 }, () => signedRecord(env.privateJwk, head.root)));
    jws[3] = "not a jws";
    const started = performance.now();
    const response = await api.postBatch(JSON.stringify({ jws }));
    const elapsed = performance.now() - started;
    const body = (await response.json()) as { accepted: number; results: Array<{ status: string; entryHash?: string; receipt?: SignedReceipt | null }> };
    assert.equal(body.accepted, 999);
    assert.equal(body.results[3].status, "rejected");
    assert.equal(body.results[3].receipt, undefined);
    const receipts = collectReceipts(body).receipts;
    assert.equal(receipts.length, 999);
    assert.deepEqual(receipts.map((r) => r.message.entryHash), body.results.filter((r) => r.status === "accepted").map((r) => r.entryHash));
    for (const r of receipts.slice(0, 25)) assert.equal(await recoverReceiptSigner(r), r.signer);
    console.log(`# batch of 1,000 accepted and answered with 999 receipts in ${Math.round(elapsed)} ms (no assertion: a figure)`);
  });

  it("answers without a receipt, and says why, when no chain is configured", async () => {
    installChainInfo({ chainId: null, registry: null, rpcUrl: null });
    useConfig({ SEALBOOK_CHAIN: "off" });
    const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
    const response = await api.postRecord(await signedRecord(env.privateJwk, head.root));
    assert.equal(response.status, 201, "ingest does not fail for want of a receipt");
    const body = (await response.json()) as { receipt: unknown; receiptUnavailable: string };
    assert.equal(body.receipt, null);
    assert.match(body.receiptUnavailable, /SEALBOOK_CHAIN=off/);
    const batch = (await (await api.postBatch(JSON.stringify({ jws: [await signedRecord(env.privateJwk, head.root)] }))).json()) as { results: Array<{ receipt: unknown }>; receiptUnavailable: string };
    assert.equal(batch.results[0].receipt, null);
    assert.match(batch.receiptUnavailable, /SEALBOOK_CHAIN=off/);
  });

  it("answers without a receipt when RECEIPT_PRIVATE_KEY is missing or malformed, never showing the key", async () => {
    installChainInfo({ chainId: 31337, registry: REGISTRY, rpcUrl: "http://127.0.0.1:1" });
    const head = await readHead(env.ledger.db, env.ledger.genesisRoot);
    useConfig({ RPC_URL: "http://127.0.0.1:1" });
    let body = (await (await api.postRecord(await signedRecord(env.privateJwk, head.root))).json()) as { receipt: unknown; receiptUnavailable: string };
    assert.equal(body.receipt, null);
    assert.match(body.receiptUnavailable, /RECEIPT_PRIVATE_KEY is not set/);
    const badKey = `0x${"zz".repeat(32)}`;
    useConfig({ RPC_URL: "http://127.0.0.1:1", RECEIPT_PRIVATE_KEY: badKey });
    body = (await (await api.postRecord(await signedRecord(env.privateJwk, head.root))).json()) as { receipt: unknown; receiptUnavailable: string };
    assert.equal(body.receipt, null);
    assert.match(body.receiptUnavailable, /RECEIPT_PRIVATE_KEY is not a valid private key/);
    assert.ok(!body.receiptUnavailable.includes("zz".repeat(32)));
  });
});
