import { ERROR_CODES } from "../protocol/errors";
import { evidenceBundleSchema } from "../protocol/evidence";
import { blockListSchema, blockSchema, entryPageSchema, ledgerStatusSchema } from "../protocol/wire/ledger";
import { addressSchema, hashSchema } from "../protocol/wire/primitives";
import { anchorSchema, pendingEntrySchema, proofBundleSchema } from "../protocol/wire/proof-bundle";
import { acceptedRecordSchema, signedReceiptSchema } from "../protocol/wire/receipt";
import { componentSchemas, inlineInputSchema } from "./derive";
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
  /** The protocol's wire formats (lib/protocol/wire), derived from their zod schemas. */
  ...componentSchemas([
    hashSchema,
    addressSchema,
    ledgerStatusSchema,
    anchorSchema,
    blockSchema,
    blockListSchema,
    entryPageSchema,
    proofBundleSchema,
    pendingEntrySchema,
    acceptedRecordSchema,
    signedReceiptSchema,
  ]),
  /** PROTOCOL §8, as a reader accepts it (the input side), everything inline. */
  EvidenceBundle: inlineInputSchema(evidenceBundleSchema),
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
