/**
 * The acceptance receipt of PROTOCOL §6 as the ledger sends it, and the 201 answer that carries
 * it. The OpenAPI components `Receipt` and `AcceptedRecord` are derived from these schemas; the
 * receipt's typed data, digest and signer recovery are in ../receipt.ts, whose `parseReceipt`
 * also reads files that leave out the fixed `types` and `primaryType`.
 */
import { getAddress } from "viem";
import { z } from "zod";
import { ADDRESS_PATTERN, addressSchema, hashReadSchema, hashSchema, instantSchema, readAs } from "./primitives";

/** A 65-byte signature as the ledger writes it: `0x` and 130 lowercase hex digits. */
export const SIGNATURE_PATTERN = /^0x[0-9a-f]{130}$/;

/** An address as a receipt's reader takes it: either case, checksummed on reading (EIP-55). */
const addressReadSchema = z
  .string()
  .regex(ADDRESS_PATTERN, { error: "must be an address (0x and 40 hex digits)" })
  .transform((a): string => getAddress(a))
  .pipe(addressSchema);

/** Unix seconds as a reader takes them: whole, from 0, exactly representable. */
const secondsReadSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * A signed acceptance receipt as `POST /api/v1/records` sends it (the output side; the OpenAPI
 * component `Receipt`) and as a reader takes it (the input side: hex of either case, an address
 * checksummed or not). `parseReceipt` in ../receipt.ts also reads files without `types` and `primaryType`.
 */
export const signedReceiptSchema = z
  .object({
    domain: z.object({
      name: z.literal("Sealbook"),
      version: z.literal("1"),
      chainId: readAs(z.number().int().positive(), z.number().int()),
      verifyingContract: addressReadSchema,
    }),
    types: z
      .record(z.string(), z.unknown())
      .meta({ description: "The EIP-712 type Receipt(bytes32 entryHash, bytes32 prevRoot, uint64 acceptedAt, uint64 sealBy)." }),
    primaryType: z.literal("Receipt"),
    message: z.object({
      entryHash: hashReadSchema,
      prevRoot: hashReadSchema.meta({ description: "The root the record was signed against: it must be sealed in the block after that root." }),
      acceptedAt: readAs(secondsReadSchema, z.number().int()).meta({ description: "Unix seconds." }),
      sealBy: readAs(secondsReadSchema, z.number().int()).meta({ description: "Unix seconds: acceptedAt + the seal interval + a stated margin (SEAL_BY_MARGIN_SECONDS)." }),
    }),
    signer: addressReadSchema,
    signature: z
      .string()
      .regex(/^0x[0-9a-fA-F]{130}$/, { error: "must be a 65-byte signature (0x and 130 hex digits)" })
      .transform((s) => s.toLowerCase())
      .pipe(z.string().regex(SIGNATURE_PATTERN))
      .meta({ description: "65 bytes r ‖ s ‖ v." }),
  })
  .meta({
    id: "Receipt",
    description:
      "An acceptance receipt (PROTOCOL §6): EIP-712 typed data and its signature by an account holding RECEIPT_SIGNER_ROLE on the registry. Keep it: if `sealBy` passes and the entry is in no sealed block, it is evidence that the ledger dropped the record (`sealbook verify`, `sealbook monitor`).",
  });

/** The 201 answer of `POST /api/v1/records`; the OpenAPI component `AcceptedRecord`. */
export const acceptedRecordSchema = z
  .object({
    entryHash: hashSchema.meta({ description: "keccak256(ascii(jws))." }),
    acceptedAt: instantSchema,
    receipt: signedReceiptSchema
      .nullable()
      .meta({ description: "The signed acceptance receipt (PROTOCOL §6); null when the ledger has no chain to bind it to." }),
    receiptUnavailable: z.string().optional().meta({ description: "Why `receipt` is null; absent when there is a receipt." }),
  })
  .meta({ id: "AcceptedRecord" });
export type AcceptedRecord = z.infer<typeof acceptedRecordSchema>;
