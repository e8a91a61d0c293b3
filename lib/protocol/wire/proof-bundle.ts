/**
 * The proof bundle of PROTOCOL §5 and its parts, the block header (§3) and the anchor, as the
 * ledger sends them and as readers accept them. One definition: the TypeScript types are inferred
 * from it and the OpenAPI components (`Anchor`, `ProofBundle`, `PendingEntry`) derived from it.
 */
import { z } from "zod";
import { addressSchema, hashReadSchema, hashSchema, instantSchema, readAs } from "./primitives";

/** Where a block's root was published on chain; the OpenAPI component `Anchor`. */
export const anchorSchema = z
  .object({
    chainId: z.number().int().meta({ description: "The EIP-155 chain id." }),
    registry: addressSchema,
    txHash: hashSchema,
    blockNumber: z.number().int().meta({ description: "The chain block that includes the anchoring transaction." }),
  })
  .meta({ id: "Anchor", description: "Where a block's root was published on chain." });
export type Anchor = z.infer<typeof anchorSchema>;

/** The fields of an anchor as a reader accepts them (a chain id above 0, a chain block from 0). */
export const anchorReadShape = {
  chainId: z.number().int().positive(),
  registry: addressSchema,
  txHash: hashReadSchema,
  blockNumber: z.number().int().min(0),
};

/** A block header (PROTOCOL §3), as a proof bundle and an evidence bundle carry it. */
export const blockHeaderSchema = z.object({
  height: z.number().int().min(1),
  root: hashReadSchema,
  prevRoot: hashReadSchema,
  entryCount: z.number().int().min(1),
  sealedAt: instantSchema,
});
export type BlockHeader = z.infer<typeof blockHeaderSchema>;

/** The proof bundle of PROTOCOL §5, as `GET /api/v1/proofs/{entryHash}` serves it. */
export const proofBundleSchema = z
  .object({
    version: z.literal(1),
    ledgerId: readAs(z.string().min(1), z.string()),
    entryHash: hashReadSchema,
    block: blockHeaderSchema,
    proof: z.array(hashReadSchema).max(64).meta({ description: "Sibling hashes from the leaf up to the root." }),
    anchor: readAs(z.object(anchorReadShape), anchorSchema).nullable().meta({ description: "null until the block's root is anchored." }),
  })
  .meta({ id: "ProofBundle", description: "Everything needed to verify one entry without trusting the server (PROTOCOL §5)." });
export type ProofBundle = z.infer<typeof proofBundleSchema>;

/** The 202 answer for an entry accepted but not sealed yet; the OpenAPI component `PendingEntry`. */
export const pendingEntrySchema = z
  .object({ status: z.literal("pending"), entryHash: hashSchema, acceptedAt: instantSchema })
  .meta({ id: "PendingEntry", description: "An accepted entry that is not sealed yet." });
export type PendingEntry = z.infer<typeof pendingEntrySchema>;
