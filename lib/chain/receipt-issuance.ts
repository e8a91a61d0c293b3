/**
 * Who signs this process's acceptance receipts (PROTOCOL §6), decided from the chain settings: the
 * account in RECEIPT_PRIVATE_KEY (in embedded mode dev account #1, granted RECEIPT_SIGNER_ROLE at
 * deploy; see `chainKeys`), for the registry and chain the ledger anchors to. The wiring hands the
 * result to the ledger's issuer (`issueReceipts`, lib/ledger/receipts.ts).
 */
import type { Hex } from "viem";
import type { SealbookConfig } from "../config";
import { createReceiptSigner, type ReceiptIssuance, type ReceiptSigner } from "../ledger/receipts";
import { prepareFastKeccak } from "../protocol/hash";
import { receiptDomain } from "../protocol/receipt";
import { getPublicChainInfo } from "./chain-info";
import { publicClientFor } from "./clients";
import { accountFromPrivateKey, secretRedactor } from "./secrets";
import { chainKeys, resolveChainSettings } from "./settings";

export type { ReceiptIssuance };

const UNKNOWN_CHAIN_RETRY_MS = 30_000;
let signerCache: { key: string; signer: ReceiptSigner } | null = null;
let validatedKey: { raw: string; privateKey: Hex } | null = null;
const chainIdCache = new Map<string, { chainId: number | null; error: string | null; at: number }>();

/**
 * Resolves the receipt signer from the configuration and where the ledger anchors (see
 * `getPublicChainInfo`). Never throws: when receipts cannot be signed (SEALBOOK_CHAIN=off, no
 * registry yet, no RECEIPT_PRIVATE_KEY, a malformed key, the chain id unknown and the RPC
 * unreachable) it says why in `unavailable`, and ingest goes on without receipts.
 * Makes at most one RPC call (eth_chainId) per RPC URL, only when the chain id is not configured.
 */
export async function getReceiptIssuance(config: SealbookConfig): Promise<ReceiptIssuance> {
  if (config.SEALBOOK_CHAIN === "off") {
    return { signer: null, unavailable: "No blockchain is configured (SEALBOOK_CHAIN=off), so receipts, which are bound to a registry, are not signed." };
  }
  const info = await getPublicChainInfo(config);
  if (!info.registry) {
    return { signer: null, unavailable: "The registry address is not known yet (set REGISTRY_ADDRESS, or wait for the embedded chain to deploy one), so no receipt is signed." };
  }
  const key = chainKeys(config).receiptKey;
  if (!key) return { signer: null, unavailable: "RECEIPT_PRIVATE_KEY is not set, so no receipt is signed." };
  // Validating derives the public key in JavaScript (about 0.3 ms), so it is done once per key,
  // not once per request: the single-record API calls this for every record.
  if (validatedKey?.raw !== key) {
    try {
      accountFromPrivateKey(key, "RECEIPT_PRIVATE_KEY"); // validates; its error never shows the key
      validatedKey = { raw: key, privateKey: (key.trim().startsWith("0x") ? key.trim() : `0x${key.trim()}`).toLowerCase() as Hex };
    } catch (error) {
      return { signer: null, unavailable: (error as Error).message };
    }
  }
  const { privateKey } = validatedKey;
  let chainId = info.chainId;
  if (chainId === null) {
    const rpcUrl = (await resolveChainSettings(config)).rpcUrl;
    const known = await chainIdOf(rpcUrl);
    if (known.chainId === null) return { signer: null, unavailable: `The chain id is not known and the RPC could not tell it (${known.error}), so no receipt is signed.` };
    chainId = known.chainId;
  }
  await prepareFastKeccak(); // the receipt digests' Keccak in WebAssembly (a no-op once loaded)
  const cacheKey = `${privateKey}|${chainId}|${info.registry}`;
  if (signerCache?.key !== cacheKey) signerCache = { key: cacheKey, signer: createReceiptSigner(privateKey, receiptDomain(chainId, info.registry)) };
  return { signer: signerCache.signer, unavailable: null };
}

async function chainIdOf(rpcUrl: string): Promise<{ chainId: number | null; error: string | null }> {
  const cached = chainIdCache.get(rpcUrl);
  if (cached && (cached.chainId !== null || Date.now() - cached.at < UNKNOWN_CHAIN_RETRY_MS)) return cached;
  let entry: { chainId: number | null; error: string | null; at: number };
  try {
    entry = { chainId: await publicClientFor(rpcUrl, { timeoutMs: 3_000 }).getChainId(), error: null, at: Date.now() };
  } catch (error) {
    const reason = (error as { shortMessage?: string }).shortMessage ?? (error as Error).message;
    entry = { chainId: null, error: secretRedactor({ rpcUrls: [rpcUrl] })(`the RPC did not answer: ${reason}`), at: Date.now() };
  }
  chainIdCache.set(rpcUrl, entry);
  return entry;
}
