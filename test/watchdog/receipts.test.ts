/**
 * Acceptance receipts (PROTOCOL §6): the vector, the fast signer (libsecp256k1, and its viem
 * fallback) against viem's signTypedData on the vector and 1,000 random receipts, the parser, and the receipts the API hands out on acceptance (single and batch, PGlite), including
 * a ledger without a chain, which answers without a receipt and says why.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { randomBytes, randomInt } from "node:crypto";
import { getAddress, verifyTypedData, type Address, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount, sign } from "viem/accounts";
import { installChainInfo } from "../../lib/chain/chain-info";
import { collectReceipts, parseReceipt, receiptDomain, type ReceiptDomain, type ReceiptMessage, receiptPrimaryType, receiptTypes, recoverReceiptSigner, type SignedReceipt } from "../../lib/protocol/receipt";
import { readConfig } from "../../lib/config";
import { readHead } from "../../lib/ledger/head";
import { installRuntime } from "../../lib/server/runtime";
import { createBackendChooser } from "../../lib/ledger/secp256k1";
import { startSigningWorker } from "../../lib/ledger/secp256k1-worker";
import { prepareFastKeccak } from "../../lib/protocol/hash";
import type { Hash } from "../../lib/protocol/hex";
import { createReceiptSigner } from "../../lib/ledger/receipts";
import { api } from "../support/api";
import { DEV_KEYS } from "../support/chain";
import { ledgerWithSigner } from "../support/ledger";
import { signedRecord } from "../support/records";
import { vectors } from "../support/vectors";

const { receipt: vector } = vectors;
const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as Address;
/** The platforms the `secp256k1` package ships a prebuilt binary for (node_modules/secp256k1/prebuilds). */
const NATIVE_PREBUILDS = ["linux-x64", "darwin-arm64", "win32-x64"];

const randomHash = () => `0x${randomBytes(32).toString("hex")}` as Hash;
const randomAddress = () => getAddress(`0x${randomBytes(20).toString("hex")}`);
/** A receipt message with random hashes and times anywhere in uint64's safe range, some near now. */
function randomMessage(): ReceiptMessage {
  const acceptedAt = randomInt(2) ? 1_700_000_000 + randomInt(200_000_000) : randomInt(2 ** 47) * 2 ** 6 + randomInt(2 ** 6);
  return { entryHash: randomHash(), prevRoot: randomHash(), acceptedAt, sealBy: Math.min(acceptedAt + randomInt(100_000), Number.MAX_SAFE_INTEGER) };
}
/** The typed data of a receipt, as viem's signTypedData and verifyTypedData take it. */
const typedData = (domain: ReceiptDomain, message: ReceiptMessage) =>
  ({ domain, types: receiptTypes, primaryType: receiptPrimaryType, message: { ...message, acceptedAt: BigInt(message.acceptedAt), sealBy: BigInt(message.sealBy) } }) as const;

describe("acceptance receipts", () => {
  it("reproduces the receipt vector: dev account #1 signs the vector's message to the vector's signature, as viem's signTypedData does", async () => {
    const domain = receiptDomain(vector.domain.chainId, vector.domain.verifyingContract);
    const signer = createReceiptSigner(DEV_KEYS.receiptSigner, domain);
    const signed = await signer.sign(vector.message);
    assert.equal(await privateKeyToAccount(DEV_KEYS.receiptSigner).signTypedData(typedData(domain, vector.message)), vector.signature);
    assert.equal(signed.signature, vector.signature);
    assert.equal(signed.signer, vector.signer);
    assert.deepEqual(JSON.parse(JSON.stringify(signed)), vector, "the receipt has the vector's shape, field for field");
    assert.equal(await recoverReceiptSigner(parseReceipt(vector)), vector.signer);
  });

  it("signs exactly what viem's signTypedData signs on 1,000 random receipts, keys and domains, and verifyTypedData accepts them", async () => {
    await prepareFastKeccak(); // as the server does at start: the digests then use hash-wasm's Keccak
    const keys: Hex[] = [DEV_KEYS.receiptSigner, ...Array.from({ length: 4 }, () => generatePrivateKey())];
    const domains = [receiptDomain(31337, REGISTRY), receiptDomain(1, randomAddress()), receiptDomain(11155111, randomAddress()), receiptDomain(2 ** 31 - 1, randomAddress())];
    const signers = keys.flatMap((key) => domains.map((domain) => ({ account: privateKeyToAccount(key), signer: createReceiptSigner(key, domain) })));
    if (NATIVE_PREBUILDS.includes(`${process.platform}-${process.arch}`)) {
      assert.equal(signers[0].signer.backend, "libsecp256k1", "the package ships a binary for this platform, so the native binding must be what signs");
    } else {
      console.log(`# no prebuilt libsecp256k1 binding for ${process.platform}-${process.arch}: this run checks the viem fallback`);
    }
    for (let i = 0; i < 1000; i++) {
      const { account, signer } = signers[i % signers.length];
      const message = randomMessage();
      const ours = await signer.sign(message);
      const theirs = await account.signTypedData(typedData(signer.domain, message));
      assert.equal(ours.signature, theirs, `receipt ${i}: ${JSON.stringify({ domain: signer.domain, message })}`);
      if (i % 50 === 0) assert.ok(await verifyTypedData({ ...typedData(signer.domain, message), address: account.address, signature: ours.signature }));
    }
  });

  it("signs a batch with signMany (on the signing worker thread) to the same receipts, in order, as one by one", async () => {
    const signer = createReceiptSigner(DEV_KEYS.receiptSigner, receiptDomain(31337, REGISTRY));
    const messages = [vector.message, ...Array.from({ length: 999 }, randomMessage)];
    const batch = await signer.signMany(messages);
    assert.equal(batch[0].signature, vector.signature);
    for (const [i, message] of messages.entries()) assert.deepEqual(batch[i], await signer.sign(message));
  });

  it("signs on the worker thread exactly what viem's sign gives for the same digests", async () => {
    const worker = startSigningWorker(Buffer.from(DEV_KEYS.receiptSigner.slice(2), "hex"));
    assert.ok(worker, "the binding's path resolves here, so a worker starts");
    const digests = Array.from({ length: 200 }, () => randomBytes(32));
    const signatures = await worker.signMany(digests);
    for (const [i, digest] of digests.entries()) assert.equal(signatures[i], await sign({ hash: `0x${digest.toString("hex")}`, privateKey: DEV_KEYS.receiptSigner, to: "hex" }));
  });

  it("falls back to viem when the native binding cannot load: same signatures, one notice however many signers", async () => {
    const notices: string[] = [];
    const choose = createBackendChooser(
      () => {
        throw new Error("simulated: no prebuilt binary for this platform");
      },
      (notice) => notices.push(notice),
    );
    const domain = receiptDomain(vector.domain.chainId, vector.domain.verifyingContract);
    const signer = createReceiptSigner(DEV_KEYS.receiptSigner, domain, choose());
    assert.equal(signer.backend, "viem");
    assert.equal((await signer.sign(vector.message)).signature, vector.signature);
    const account = privateKeyToAccount(DEV_KEYS.receiptSigner);
    const messages = Array.from({ length: 50 }, randomMessage);
    const again = createReceiptSigner(DEV_KEYS.receiptSigner, domain, choose());
    const batch = await again.signMany(messages);
    for (const [i, message] of messages.entries()) assert.equal(batch[i].signature, await account.signTypedData(typedData(domain, message)));
    assert.equal(choose().kind, "viem");
    assert.equal(notices.length, 1, "the notice is given once per process, not per signer or receipt");
    assert.match(notices[0], /libsecp256k1 binding .* could not be loaded .*simulated: no prebuilt binary/);
    assert.match(notices[0], /signed with viem instead: the same signatures/);
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
