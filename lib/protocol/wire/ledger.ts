/**
 * The ledger's public read answers (PROTOCOL §3): its status, its blocks and a block's entries,
 * as the read API sends them. The OpenAPI components `LedgerStatus`, `Block`, `BlockList` and
 * `EntryPage` are derived from these schemas.
 */
import { z } from "zod";
import { anchorSchema } from "./proof-bundle";
import { hashSchema, instantSchema } from "./primitives";

const nullableInteger = (description: string) => z.number().int().nullable().meta({ description });

/** `GET /api/v1/ledger`: the ledger at a glance. */
export const ledgerStatusSchema = z
  .object({
    ledgerId: z.string().meta({ description: "The ledger's identifier; it fixes the genesis root." }),
    genesisRoot: hashSchema.meta({ description: 'keccak256(utf8("sealbook/genesis/v1:" ‖ ledgerId)), the root at height 0.' }),
    head: z.object({
      height: z.number().int().min(0).meta({ description: "The latest sealed block; 0 before the first." }),
      root: hashSchema,
      sealedAt: z.string().nullable().meta({ format: "date-time", description: "When the latest block was sealed." }),
    }),
    pendingCount: z.number().int().min(0).meta({ description: "Entries accepted and waiting for the next block." }),
    totalEntries: z.number().int().min(0).meta({ description: "Entries sealed in all blocks." }),
    anchoredHeight: z.number().int().min(0).meta({ description: "The highest block whose root is confirmed on chain; 0 before the first." }),
    chainId: nullableInteger("The chain the registry lives on, when the chain is configured.").optional(),
    registry: z.string().nullable().optional().meta({ description: "The RootRegistry contract address, when the chain is configured." }),
    rpcUrl: z
      .string()
      .nullable()
      .optional()
      .meta({ description: "The public RPC endpoint this portal publishes for reading the registry (NEXT_PUBLIC_RPC_URL, never the server's own RPC_URL); null when it publishes none." }),
  })
  .meta({ id: "LedgerStatus" });
export type LedgerStatusAnswer = z.infer<typeof ledgerStatusSchema>;

/** A sealed block's header with its anchor, as `GET /api/v1/blocks/{height}` sends it. */
export const blockSchema = z
  .object({
    height: z.number().int().min(1),
    root: hashSchema.meta({ description: "The StandardMerkleTree root over the block's entry hashes." }),
    prevRoot: hashSchema.meta({ description: "The root of block height − 1 (the genesis root for block 1)." }),
    entryCount: z.number().int().min(1),
    sealedAt: instantSchema,
    anchor: anchorSchema.nullable().meta({ description: "null until the root is confirmed on chain." }),
  })
  .meta({ id: "Block", description: "A sealed block's header (PROTOCOL §3) with its anchor." });
export type BlockAnswer = z.infer<typeof blockSchema>;

/** `GET /api/v1/blocks`: a page of blocks, newest first. */
export const blockListSchema = z
  .object({
    blocks: z.array(blockSchema).meta({ description: "Newest first." }),
    nextCursor: nullableInteger("Pass as `cursor` for the next (older) page; null at the end."),
  })
  .meta({ id: "BlockList" });

/** `GET /api/v1/blocks/{height}/entries`: a page of a block's entry hashes, in leaf order. */
export const entryPageSchema = z
  .object({
    height: z.number().int(),
    entryCount: z.number().int(),
    entries: z.array(
      z.object({
        entryHash: hashSchema,
        leafIndex: z.number().int().min(0).meta({ description: "Position in the block, in leaf order." }),
      }),
    ),
    next: nullableInteger("Pass as `from` for the next page; null at the end."),
  })
  .meta({ id: "EntryPage" });
