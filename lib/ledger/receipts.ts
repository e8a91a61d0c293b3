/**
 * The ledger's side of acceptance receipts (PROTOCOL §6): which key signs, for which registry, and
 * the `sealBy` promise. Receipts are signed after the accepted entries are committed, locally
 * (no network call per record), by the account in RECEIPT_PRIVATE_KEY, which must hold
 * RECEIPT_SIGNER_ROLE on the registry; in embedded mode that is dev account #1, granted at deploy.
 */
import type { Hex } from "viem";
import { getPublicChainInfo } from "../chain/chain-info";
import { publicClientFor } from "../chain/clients";
import { DEV_ACCOUNTS } from "../chain/dev-accounts";
import { accountFromPrivateKey, secretRedactor } from "../chain/secrets";
import { resolveChainSettings } from "../chain/settings";
import { receiptDomain } from "../chain/receipt-types";
import type { SealbookConfig } from "../config";
import { createReceiptSigner, type ReceiptSigner, type SignedReceipt } from "../watchdog/receipt";
import type { SubmissionResult } from "./ingest";

type ReceiptTiming = Pick<SealbookConfig, "SEAL_INTERVAL_SECONDS" | "SEAL_BY_MARGIN_SECONDS">;

/** Seconds between acceptance and the sealBy promise: the seal interval plus the stated margin, rounded up. */
export function sealByDelaySeconds(config: ReceiptTiming): number {
  return Math.ceil(config.SEAL_INTERVAL_SECONDS) + Math.ceil(config.SEAL_BY_MARGIN_SECONDS);
}

/**
 * The `sealBy` of an entry accepted at `acceptedAt`, in unix seconds:
 * `floor(acceptedAt) + SEAL_INTERVAL_SECONDS + SEAL_BY_MARGIN_SECONDS`. The next seal is due within
 * one interval; the margin covers a slow or retried seal. Past it, the receipt is evidence.
 */
export function sealByOf(acceptedAt: Date, config: ReceiptTiming): number {
  return Math.floor(acceptedAt.getTime() / 1000) + sealByDelaySeconds(config);
}

/**
 * The receipt signer's private key: RECEIPT_PRIVATE_KEY, or in embedded mode (no RPC_URL) dev
 * account #1; undefined when neither. It also signs the mirror's checkpoint (lib/ledger/publish.ts).
 */
export function receiptSignerKey(config: Pick<SealbookConfig, "RECEIPT_PRIVATE_KEY" | "RPC_URL">): string | undefined {
  return config.RECEIPT_PRIVATE_KEY ?? (!config.RPC_URL ? DEV_ACCOUNTS.receiptSigner : undefined);
}

/** Who signs this process's receipts, or why none are signed. */
export type ReceiptIssuance = { signer: ReceiptSigner; unavailable: null } | { signer: null; unavailable: string };

const UNKNOWN_CHAIN_RETRY_MS = 30_000;
let signerCache: { key: string; signer: ReceiptSigner } | null = null;
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
  const key = receiptSignerKey(config);
  if (!key) return { signer: null, unavailable: "RECEIPT_PRIVATE_KEY is not set, so no receipt is signed." };
  let privateKey: Hex;
  try {
    accountFromPrivateKey(key, "RECEIPT_PRIVATE_KEY"); // validates; its error never shows the key
    privateKey = (key.trim().startsWith("0x") ? key.trim() : `0x${key.trim()}`).toLowerCase() as Hex;
  } catch (error) {
    return { signer: null, unavailable: (error as Error).message };
  }
  let chainId = info.chainId;
  if (chainId === null) {
    const rpcUrl = (await resolveChainSettings(config)).rpcUrl;
    const known = await chainIdOf(rpcUrl);
    if (known.chainId === null) return { signer: null, unavailable: `The chain id is not known and the RPC could not tell it (${known.error}), so no receipt is signed.` };
    chainId = known.chainId;
  }
  const cacheKey = `${privateKey}|${chainId}|${info.registry}`;
  if (signerCache?.key !== cacheKey) signerCache = { key: cacheKey, signer: createReceiptSigner(privateKey, receiptDomain(chainId, info.registry)) };
  return { signer: signerCache.signer, unavailable: null };
}

/**
 * Signs a receipt for every accepted submission (null for the rejected ones, and for all when
 * receipts are unavailable, with the reason). About a millisecond per receipt, no network call.
 */
export async function issueReceipts(
  config: SealbookConfig,
  results: readonly SubmissionResult[],
): Promise<{ receipts: (SignedReceipt | null)[]; unavailable: string | null }> {
  if (!results.some((r) => r.ok)) return { receipts: results.map(() => null), unavailable: null };
  const issuance = await getReceiptIssuance(config);
  if (!issuance.signer) return { receipts: results.map(() => null), unavailable: issuance.unavailable };
  const receipts: (SignedReceipt | null)[] = [];
  for (const r of results) {
    receipts.push(
      r.ok
        ? await issuance.signer.sign({ entryHash: r.entryHash, prevRoot: r.prevRoot, acceptedAt: Math.floor(r.acceptedAt.getTime() / 1000), sealBy: sealByOf(r.acceptedAt, config) })
        : null,
    );
  }
  return { receipts, unavailable: null };
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
