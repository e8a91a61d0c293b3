/**
 * Receipts for evidence bundles. The ledger does not store the receipts it hands out at
 * acceptance; it signs them again. That is deterministic: the message is {entryHash, prevRoot,
 * acceptedAt (unix seconds), sealBy = acceptedAt + SEAL_INTERVAL_SECONDS + SEAL_BY_MARGIN_SECONDS},
 * and secp256k1 signatures use RFC 6979 nonces, so with the same receipt key and the same timing
 * settings the bundle's receipt is byte for byte the one the submitter got. When the key or the
 * timings changed since, it is a receipt the ledger signs today for the same acceptance; a verifier
 * checks it the same way (§6: signed by an account holding RECEIPT_SIGNER_ROLE now).
 */
import type { SealbookConfig } from "../config";
import type { ReceiptIssuer } from "../ledger/evidence";
import { sealByOf } from "../ledger/receipts";
import { getReceiptIssuance } from "./receipt-issuance";

/** The receipt issuer for evidence bundles, or null with the reason when this ledger signs no receipts. */
export async function evidenceReceiptIssuer(config: SealbookConfig): Promise<{ issuer: ReceiptIssuer; unavailable: string | null }> {
  const issuance = await getReceiptIssuance(config);
  if (!issuance.signer) return { issuer: null, unavailable: issuance.unavailable };
  const signer = issuance.signer;
  const issuer: ReceiptIssuer = async ({ entryHash, prevRoot, acceptedAt }) =>
    ({ ...(await signer.sign({ entryHash, prevRoot, acceptedAt: Math.floor(acceptedAt.getTime() / 1000), sealBy: sealByOf(acceptedAt, config) })) }) as Record<string, unknown>;
  return { issuer, unavailable: null };
}
