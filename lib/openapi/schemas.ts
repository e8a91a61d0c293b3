import { z } from "zod";
import { ERROR_CODES } from "../protocol/errors";
import { evidenceBundleSchema } from "../protocol/evidence";
import type { SchemaObject } from "./types";

const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` });
const instant: SchemaObject = { type: "string", format: "date-time", description: "An RFC 3339 timestamp (UTC)." };

const healthCheck: SchemaObject = {
  type: "object",
  required: ["status", "message"],
  properties: { status: { type: "string", enum: ["ok", "warn", "alarm"] }, message: { type: "string", description: "What the check found, in a sentence." } },
  additionalProperties: true,
};

/** The schemas of every body the public API sends or receives (PROTOCOL §1, §3, §5, §7). */
export const schemas: Record<string, SchemaObject> = {
  /** PROTOCOL §8, derived from the one zod schema. */
  EvidenceBundle: (({ $schema: _dialect, ...schema }) => schema)(z.toJSONSchema(evidenceBundleSchema, { io: "input" }) as SchemaObject & { $schema?: string }),
  Hash: {
    type: "string",
    pattern: "^0x[0-9a-f]{64}$",
    description: "A 32-byte hash as lowercase 0x-prefixed hex (keccak-256 for entries and roots).",
    examples: ["0x5b3c8e0e0b5c5f2c4f6d1b7a9f7e1c2d3b4a5968778695a4b3c2d1e0f9a8b7c6"],
  },
  Address: { type: "string", pattern: "^0x[0-9a-fA-F]{40}$", description: "An Ethereum address." },
  Problem: {
    type: "object",
    description: "An RFC 9457 problem document. Every error answer of the API is one, served as application/problem+json.",
    required: ["type", "title", "status", "detail", "code"],
    properties: {
      type: { type: "string", description: "A URI reference naming the problem type; it points into this documentation." },
      title: { type: "string", description: "A short summary of the problem type." },
      status: { type: "integer", description: "The HTTP status code." },
      detail: { type: "string", description: "What was wrong in this request, with the offending value, and what to do." },
      code: {
        type: "string",
        enum: [...ERROR_CODES],
        description: "A stable machine-readable code (PROTOCOL §7). React to the code; show the detail to people.",
      },
      details: { type: "object", description: "The offending values, when there are any." },
    },
  },
  LedgerStatus: {
    type: "object",
    required: ["ledgerId", "genesisRoot", "head", "pendingCount", "totalEntries", "anchoredHeight"],
    properties: {
      ledgerId: { type: "string", description: "The ledger's identifier; it fixes the genesis root." },
      genesisRoot: { ...ref("Hash"), description: 'keccak256(utf8("sealbook/genesis/v1:" ‖ ledgerId)), the root at height 0.' },
      head: {
        type: "object",
        required: ["height", "root", "sealedAt"],
        properties: {
          height: { type: "integer", minimum: 0, description: "The latest sealed block; 0 before the first." },
          root: ref("Hash"),
          sealedAt: { type: ["string", "null"], format: "date-time", description: "When the latest block was sealed." },
        },
      },
      pendingCount: { type: "integer", minimum: 0, description: "Entries accepted and waiting for the next block." },
      totalEntries: { type: "integer", minimum: 0, description: "Entries sealed in all blocks." },
      anchoredHeight: { type: "integer", minimum: 0, description: "The highest block whose root is confirmed on chain; 0 before the first." },
      chainId: { type: ["integer", "null"], description: "The chain the registry lives on, when the chain is configured." },
      registry: { type: ["string", "null"], description: "The RootRegistry contract address, when the chain is configured." },
      rpcUrl: { type: ["string", "null"], description: "The public RPC endpoint this portal publishes for reading the registry (NEXT_PUBLIC_RPC_URL, never the server's own RPC_URL); null when it publishes none." },
    },
  },
  Anchor: {
    type: "object",
    description: "Where a block's root was published on chain.",
    required: ["chainId", "registry", "txHash", "blockNumber"],
    properties: {
      chainId: { type: "integer", description: "The EIP-155 chain id." },
      registry: ref("Address"),
      txHash: ref("Hash"),
      blockNumber: { type: "integer", description: "The chain block that includes the anchoring transaction." },
    },
  },
  Block: {
    type: "object",
    description: "A sealed block's header (PROTOCOL §3) with its anchor.",
    required: ["height", "root", "prevRoot", "entryCount", "sealedAt", "anchor"],
    properties: {
      height: { type: "integer", minimum: 1 },
      root: { ...ref("Hash"), description: "The StandardMerkleTree root over the block's entry hashes." },
      prevRoot: { ...ref("Hash"), description: "The root of block height − 1 (the genesis root for block 1)." },
      entryCount: { type: "integer", minimum: 1 },
      sealedAt: instant,
      anchor: { oneOf: [ref("Anchor"), { type: "null" }], description: "null until the root is confirmed on chain." },
    },
  },
  BlockList: {
    type: "object",
    required: ["blocks", "nextCursor"],
    properties: {
      blocks: { type: "array", items: ref("Block"), description: "Newest first." },
      nextCursor: { type: ["integer", "null"], description: "Pass as `cursor` for the next (older) page; null at the end." },
    },
  },
  EntryPage: {
    type: "object",
    required: ["height", "entryCount", "entries", "next"],
    properties: {
      height: { type: "integer" },
      entryCount: { type: "integer" },
      entries: {
        type: "array",
        items: {
          type: "object",
          required: ["entryHash", "leafIndex"],
          properties: { entryHash: ref("Hash"), leafIndex: { type: "integer", minimum: 0, description: "Position in the block, in leaf order." } },
        },
      },
      next: { type: ["integer", "null"], description: "Pass as `from` for the next page; null at the end." },
    },
  },
  ProofBundle: {
    type: "object",
    description: "Everything needed to verify one entry without trusting the server (PROTOCOL §5).",
    required: ["version", "ledgerId", "entryHash", "block", "proof", "anchor"],
    properties: {
      version: { const: 1, type: "integer" },
      ledgerId: { type: "string" },
      entryHash: ref("Hash"),
      block: {
        type: "object",
        required: ["height", "root", "prevRoot", "entryCount", "sealedAt"],
        properties: { height: { type: "integer", minimum: 1 }, root: ref("Hash"), prevRoot: ref("Hash"), entryCount: { type: "integer", minimum: 1 }, sealedAt: instant },
      },
      proof: { type: "array", items: ref("Hash"), maxItems: 64, description: "Sibling hashes from the leaf up to the root." },
      anchor: { oneOf: [ref("Anchor"), { type: "null" }], description: "null until the block's root is anchored." },
    },
  },
  PendingEntry: {
    type: "object",
    description: "An accepted entry that is not sealed yet.",
    required: ["status", "entryHash", "acceptedAt"],
    properties: { status: { const: "pending", type: "string" }, entryHash: ref("Hash"), acceptedAt: instant },
  },
  Signer: {
    type: "object",
    required: ["kid", "alg", "publicJwk", "label", "organization", "status", "validFrom", "revokedAt", "revocationReason"],
    properties: {
      kid: { type: "string", description: "The RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key." },
      alg: { type: "string", enum: ["EdDSA", "ES256"] },
      publicJwk: { type: "object", description: "The public key as a JWK." },
      label: { type: "string" },
      organization: { type: ["string", "null"] },
      status: { type: "string", enum: ["active", "revoked", "not_yet_valid"] },
      validFrom: instant,
      revokedAt: { type: ["string", "null"], format: "date-time" },
      revocationReason: { type: ["string", "null"] },
      entryCount: { type: "integer", description: "How many entries this key signed." },
    },
  },
  SignerList: { type: "object", required: ["signers"], properties: { signers: { type: "array", items: ref("Signer") } } },
  RecordSubmission: {
    type: "object",
    required: ["jws"],
    properties: { jws: { type: "string", maxLength: 65536, description: "The signed record as a compact JWS (PROTOCOL §1)." } },
  },
  AcceptedRecord: {
    type: "object",
    required: ["entryHash", "acceptedAt", "receipt"],
    properties: {
      entryHash: { ...ref("Hash"), description: "keccak256(ascii(jws))." },
      acceptedAt: instant,
      receipt: { oneOf: [ref("Receipt"), { type: "null" }], description: "The signed acceptance receipt (PROTOCOL §6); null when the ledger has no chain to bind it to." },
      receiptUnavailable: { type: "string", description: "Why `receipt` is null; absent when there is a receipt." },
    },
  },
  Receipt: {
    type: "object",
    description:
      "An acceptance receipt (PROTOCOL §6): EIP-712 typed data and its signature by an account holding RECEIPT_SIGNER_ROLE on the registry. Keep it: if `sealBy` passes and the entry is in no sealed block, it is evidence that the ledger dropped the record (`sealbook verify`, `sealbook monitor`).",
    required: ["domain", "types", "primaryType", "message", "signer", "signature"],
    properties: {
      domain: {
        type: "object",
        required: ["name", "version", "chainId", "verifyingContract"],
        properties: { name: { const: "Sealbook", type: "string" }, version: { const: "1", type: "string" }, chainId: { type: "integer" }, verifyingContract: ref("Address") },
      },
      types: { type: "object", description: "The EIP-712 type Receipt(bytes32 entryHash, bytes32 prevRoot, uint64 acceptedAt, uint64 sealBy)." },
      primaryType: { const: "Receipt", type: "string" },
      message: {
        type: "object",
        required: ["entryHash", "prevRoot", "acceptedAt", "sealBy"],
        properties: {
          entryHash: ref("Hash"),
          prevRoot: { ...ref("Hash"), description: "The root the record was signed against: it must be sealed in the block after that root." },
          acceptedAt: { type: "integer", description: "Unix seconds." },
          sealBy: { type: "integer", description: "Unix seconds: acceptedAt + the seal interval + a stated margin (SEAL_BY_MARGIN_SECONDS)." },
        },
      },
      signer: ref("Address"),
      signature: { type: "string", pattern: "^0x[0-9a-f]{130}$", description: "65 bytes r ‖ s ‖ v." },
    },
  },
  Health: {
    type: "object",
    required: ["status", "checkedAt", "checks"],
    properties: {
      status: { type: "string", enum: ["ok", "warn", "alarm"], description: "The worst status of the checks." },
      checkedAt: instant,
      checks: {
        type: "object",
        required: ["database", "sealing", "anchoring", "receipts"],
        properties: {
          database: healthCheck,
          sealing: { ...healthCheck, description: "Pending entries against the sealBy of their receipts: pendingCount, nearCount, overdueCount, oldestSealBy, and up to 20 near or overdue entries." },
          anchoring: { ...healthCheck, description: "Sealed blocks not anchored yet (lag, oldestUnanchoredSealedAt) and any chain alarm." },
          receipts: { ...healthCheck, description: "Whether receipts are signed, by which signer, for which registry and chain." },
        },
      },
    },
  },
  BatchSubmission: {
    type: "object",
    required: ["jws"],
    properties: { jws: { type: "array", minItems: 1, maxItems: 1000, items: { type: "string" } } },
  },
  BatchResult: {
    type: "object",
    required: ["accepted", "rejected", "results"],
    properties: {
      accepted: { type: "integer" },
      rejected: { type: "integer" },
      results: {
        type: "array",
        description: "One result per submitted record, in order.",
        items: {
          type: "object",
          required: ["index", "status"],
          properties: {
            index: { type: "integer" },
            status: { type: "string", enum: ["accepted", "rejected"] },
            entryHash: ref("Hash"),
            acceptedAt: instant,
            receipt: { oneOf: [ref("Receipt"), { type: "null" }], description: "Accepted items only: the signed acceptance receipt, or null (see `receiptUnavailable`)." },
            problem: ref("Problem"),
          },
        },
      },
      receiptUnavailable: { type: "string", description: "Why accepted items carry no receipt; absent when they do." },
    },
  },
};
