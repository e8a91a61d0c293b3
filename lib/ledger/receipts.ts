/**
 * The ledger's side of acceptance receipts (PROTOCOL §6): the one issuer. It signs, after the
 * accepted entries are committed and locally (no network call per record), the digest of
 * lib/protocol/receipt.ts with libsecp256k1 (lib/ledger/secp256k1.ts), and sets the `sealBy`
 * promise. Which key signs, for which registry and chain, is decided by the chain settings
 * (lib/chain/receipt-issuance.ts) and handed in as a `ReceiptIssuance`.
 */
import type { Address, Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { SealbookConfig } from "../config";
import { receiptDigester, receiptPrimaryType, receiptTypes, type ReceiptDomain, type ReceiptMessage, type SignedReceipt } from "../protocol/receipt";
import type { SubmissionResult } from "./ingest";
import { createDigestSigner, type DigestSigner, type Secp256k1Backend } from "./secp256k1";

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

/** Signs receipts for one domain with one key. */
export interface ReceiptSigner {
  readonly address: Address;
  readonly domain: ReceiptDomain;
  /** "libsecp256k1" (native, about 0.05 ms a receipt) or "viem" (the JavaScript fallback, about 0.4 ms). */
  readonly backend: DigestSigner["backend"];
  /** Signs one receipt; no network. */
  sign(message: ReceiptMessage): Promise<SignedReceipt>;
  /** Signs one receipt per message, in order; no network. */
  signMany(messages: readonly ReceiptMessage[]): Promise<SignedReceipt[]>;
}

/**
 * A receipt signer for `domain` holding `privateKey` (0x and 64 hex digits): the protocol's EIP-712
 * digest (`receiptDigester`), signed with libsecp256k1 (viem where the native binding cannot
 * load). That is what viem's `signTypedData` computes; test/watchdog/receipts.test.ts checks both
 * give the same bytes on the protocol vector and on 1,000 random receipts.
 * Throws viem's error when the key is not a valid secp256k1 private key.
 */
export function createReceiptSigner(privateKey: Hex, domain: ReceiptDomain, backend?: Secp256k1Backend): ReceiptSigner {
  const address = privateKeyToAccount(privateKey).address;
  const digestSigner = createDigestSigner(privateKey, backend);
  const digestOf = receiptDigester(domain);
  const receiptOf = (message: ReceiptMessage, signature: Hex): SignedReceipt => ({ domain, types: receiptTypes, primaryType: receiptPrimaryType, message, signer: address, signature });
  return {
    address,
    domain,
    backend: digestSigner.backend,
    async sign(message) {
      return receiptOf(message, await digestSigner.sign(digestOf(message)));
    },
    async signMany(messages) {
      const signatures = await digestSigner.signMany(messages.map(digestOf));
      return messages.map((message, i) => receiptOf(message, signatures[i]));
    },
  };
}

/** Who signs this process's receipts, or why none are signed. */
export type ReceiptIssuance = { signer: ReceiptSigner; unavailable: null } | { signer: null; unavailable: string };

/**
 * Signs a receipt for every accepted submission with the signer `issuance` names (null for the
 * rejected ones, and for all when receipts are unavailable, with the reason). About 0.05 ms per
 * receipt with libsecp256k1, no network call. `issuance` is asked for only when some submission
 * was accepted.
 */
export async function issueReceipts(
  issuance: () => Promise<ReceiptIssuance>,
  config: ReceiptTiming,
  results: readonly SubmissionResult[],
): Promise<{ receipts: (SignedReceipt | null)[]; unavailable: string | null }> {
  if (!results.some((r) => r.ok)) return { receipts: results.map(() => null), unavailable: null };
  const issued = await issuance();
  if (!issued.signer) return { receipts: results.map(() => null), unavailable: issued.unavailable };
  const accepted = results.flatMap((r) => (r.ok ? [r] : []));
  const signed = await issued.signer.signMany(
    accepted.map((r) => ({ entryHash: r.entryHash, prevRoot: r.prevRoot, acceptedAt: Math.floor(r.acceptedAt.getTime() / 1000), sealBy: sealByOf(r.acceptedAt, config) })),
  );
  let next = 0;
  return { receipts: results.map((r) => (r.ok ? signed[next++] : null)), unavailable: null };
}
