/**
 * Acceptance receipts (PROTOCOL §6): an EIP-712 signature over {entryHash, prevRoot, acceptedAt,
 * sealBy} in the domain {name "Sealbook", version "1", chainId, verifyingContract: registry}.
 *
 * A receipt travels as the full typed data plus the signer and the signature, the shape of
 * protocol/vectors.json `receipt`, so that any EIP-712 tool can check it with nothing else:
 *
 *   { domain, types, primaryType: "Receipt", message: {entryHash, prevRoot, acceptedAt, sealBy}, signer, signature }
 *
 * Pure and browser-safe: no network, no database, no key. The one place of the receipt's typed data,
 * its digest (`receiptDigester`) and the recovery of its signer (`recoverReceiptSigner`). The ledger
 * signs the digest (lib/ledger/receipts.ts); the verifier and the monitor read with `parseReceipt`
 * and check with `recoverReceiptSigner`.
 */
import { z } from "zod";
import { hashDomain, recoverTypedDataAddress, type Address, type Hex } from "viem";
import { ProtocolError } from "./errors";
import { keccak256 } from "./hash";
import { hashToBytes, isHash, type Hash } from "./hex";
import { signedReceiptSchema } from "./wire/receipt";

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

/** The signed message of a receipt. Times are unix seconds. */
export interface ReceiptMessage {
  entryHash: Hash;
  prevRoot: Hash;
  acceptedAt: number;
  sealBy: number;
}

/** The EIP-712 domain of a receipt: one ledger's registry on one chain. */
export type ReceiptDomain = ReturnType<typeof receiptDomain>;

/** A signed acceptance receipt, as the API returns it and as files hold it. */
export interface SignedReceipt {
  domain: ReceiptDomain;
  types: typeof receiptTypes;
  primaryType: typeof receiptPrimaryType;
  message: ReceiptMessage;
  /** The address that signed it, as the ledger claims; `recoverReceiptSigner` checks the claim. */
  signer: Address;
  /** 65 bytes r ‖ s ‖ v, 0x-hex. */
  signature: Hex;
}

/** The wire receipt, read from a file: `types` and `primaryType` may be left out (the protocol fixes them), but when present they must be the protocol's. */
const receiptSchema = signedReceiptSchema.extend({
  types: z.unknown().optional(),
  primaryType: z.literal(receiptPrimaryType).optional(),
});

/**
 * Reads a receipt from parsed JSON: the receipt itself, or an API answer that carries one in
 * `receipt` (the 201 answer of `POST /api/v1/records`).
 * Throws ProtocolError `invalid_request` listing what is missing or malformed, or when `types`
 * differ from the protocol's (a receipt under other types proves nothing about this protocol).
 */
export function parseReceipt(value: unknown): SignedReceipt {
  const candidate = isObject(value) && isObject(value.receipt) ? value.receipt : value;
  const parsed = receiptSchema.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(receipt)"}: ${i.message}`).join("; ");
    throw new ProtocolError("invalid_request", `This is not a Sealbook acceptance receipt (PROTOCOL §6): ${issues}.`);
  }
  const r = parsed.data;
  if (r.types !== undefined && JSON.stringify(r.types) !== JSON.stringify(receiptTypes)) {
    throw new ProtocolError("invalid_request", `The receipt's EIP-712 types are not the protocol's Receipt type: ${JSON.stringify(r.types).slice(0, 200)}.`);
  }
  return {
    domain: receiptDomain(r.domain.chainId, r.domain.verifyingContract as Address),
    types: receiptTypes,
    primaryType: receiptPrimaryType,
    message: r.message,
    signer: r.signer as Address,
    signature: r.signature as Hex,
  };
}

/**
 * Collects every receipt found in parsed JSON: a receipt, an API answer with `receipt`, a batch
 * answer with `results[].receipt`, or an array of any of these. Items that are not receipts are
 * returned in `invalid` with the reason, so a caller can say which file held what.
 */
export function collectReceipts(value: unknown): { receipts: SignedReceipt[]; invalid: string[] } {
  const receipts: SignedReceipt[] = [];
  const invalid: string[] = [];
  const visit = (item: unknown, depth: number) => {
    if (depth > 3) return;
    if (Array.isArray(item)) return item.forEach((x) => visit(x, depth + 1));
    if (!isObject(item)) return;
    if (Array.isArray(item.results)) return item.results.forEach((x) => visit(x, depth + 1));
    if (item.receipt === null) return; // accepted without a receipt (no chain configured): nothing to check
    if (!isObject(item.receipt) && !("signature" in item)) return; // e.g. a rejected batch item
    try {
      receipts.push(parseReceipt(item));
    } catch (error) {
      invalid.push((error as Error).message);
    }
  };
  visit(value, 0);
  return { receipts, invalid };
}

/**
 * Recovers the address that signed `receipt` under the protocol's domain and types. Compare it
 * with `receipt.signer`, and check on chain that it holds RECEIPT_SIGNER_ROLE.
 * Throws viem's error when the signature is not a valid secp256k1 signature at all.
 */
export async function recoverReceiptSigner(receipt: SignedReceipt): Promise<Address> {
  return recoverTypedDataAddress({
    domain: receipt.domain,
    types: receiptTypes,
    primaryType: receiptPrimaryType,
    message: { ...receipt.message, acceptedAt: BigInt(receipt.message.acceptedAt), sealBy: BigInt(receipt.message.sealBy) },
    signature: receipt.signature,
  });
}

const textEncoder = new TextEncoder();
/** keccak256("Receipt(bytes32 entryHash,bytes32 prevRoot,uint64 acceptedAt,uint64 sealBy)"), from receiptTypes. */
const RECEIPT_TYPE_HASH = keccak256(
  textEncoder.encode(`${receiptPrimaryType}(${receiptTypes.Receipt.map((f) => `${f.type} ${f.name}`).join(",")})`),
);

/**
 * The EIP-712 digest of the receipts of `domain`: keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message)).
 *
 * It computes the domain separator once, then per receipt one 160-byte keccak for the struct and
 * one 66-byte keccak for the digest (hash-wasm's, once `prepareFastKeccak()` has run, as the server
 * does at start). That is what viem's `hashTypedData` computes, without its generic encoder;
 * test/watchdog/receipts.test.ts checks both give the same bytes on the protocol vector and on
 * 1,000 random receipts.
 * Throws a TypeError or RangeError for a message that is not canonical (see `isHash`, whole seconds).
 */
export function receiptDigester(domain: ReceiptDomain): (message: ReceiptMessage) => Uint8Array {
  const domainSeparator = hashToBytes(hashDomain({ domain: { ...domain, chainId: BigInt(domain.chainId) }, types: { EIP712Domain: eip712DomainFields } }).toLowerCase());
  const struct = new Uint8Array(160);
  const view = new DataView(struct.buffer);
  struct.set(RECEIPT_TYPE_HASH, 0);
  const prefixed = new Uint8Array(66);
  prefixed.set([0x19, 0x01], 0);
  prefixed.set(domainSeparator, 2);
  return (message) => {
    writeHash(struct, 32, message.entryHash);
    writeHash(struct, 64, message.prevRoot);
    writeUint64(struct, view, 96, message.acceptedAt);
    writeUint64(struct, view, 128, message.sealBy);
    prefixed.set(keccak256(struct), 34);
    return keccak256(prefixed);
  };
}

const eip712DomainFields = [
  { name: "name", type: "string" },
  { name: "version", type: "string" },
  { name: "chainId", type: "uint256" },
  { name: "verifyingContract", type: "address" },
] as const;

/** Writes a protocol hash's 32 bytes at `offset`. Throws a TypeError when `hash` is not canonical (see `isHash`). */
function writeHash(target: Uint8Array, offset: number, hash: Hash): void {
  if (!isHash(hash)) throw new TypeError(`Expected a hash as 0x and 64 lowercase hex digits, got ${JSON.stringify(String(hash).slice(0, 80))}.`);
  for (let i = 0; i < 32; i++) target[offset + i] = (nibble(hash.charCodeAt(2 + 2 * i)) << 4) | nibble(hash.charCodeAt(3 + 2 * i));
}

/** The value of a lowercase hex digit's char code (the hash is checked canonical first). */
function nibble(code: number): number {
  return code <= 57 ? code - 48 : code - 87;
}

/** Writes `value` as a big-endian uint256 into the 32 bytes at `offset` (a uint64 fits the last 8). */
function writeUint64(target: Uint8Array, view: DataView, offset: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`A receipt time must be whole unix seconds, got ${value}.`);
  target.fill(0, offset, offset + 24);
  view.setUint32(offset + 24, Math.floor(value / 2 ** 32));
  view.setUint32(offset + 28, value % 2 ** 32);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
