import type { Address } from "viem";

/**
 * The EIP-712 types of an acceptance receipt (PROTOCOL.md §6). Times are unix seconds.
 * Use with viem's `signTypedData` / `verifyTypedData` and `primaryType: "Receipt"`.
 */
export const receiptTypes = {
  Receipt: [
    { name: "entryHash", type: "bytes32" },
    { name: "prevRoot", type: "bytes32" },
    { name: "acceptedAt", type: "uint64" },
    { name: "sealBy", type: "uint64" },
  ],
} as const;

/** The EIP-712 primary type of an acceptance receipt. */
export const receiptPrimaryType = "Receipt";

/**
 * The EIP-712 domain of the receipts of the ledger whose RootRegistry is `registry` on chain `chainId`
 * (PROTOCOL.md §6). Binding the registry ties a receipt to one ledger and one chain.
 */
export function receiptDomain(chainId: number, registry: Address) {
  return { name: "Sealbook", version: "1", chainId, verifyingContract: registry } as const;
}
