/**
 * The evidence bundle of PROTOCOL §8: one JSON document that lets an investigator, a court or an
 * auditor check, years later and with no access to the ledger, that given records were accepted,
 * sealed, never changed and anchored. The schema is the one definition; the types follow from it.
 * Checking a bundle is in evidence-verify.ts.
 */
import { z } from "zod";
import { ProtocolError } from "./errors";
import { anchorReadShape, blockHeaderSchema, proofBundleSchema } from "./wire/proof-bundle";
import { hashReadSchema } from "./wire/primitives";

/** The media type of an evidence bundle (PROTOCOL §8). */
export const EVIDENCE_MEDIA_TYPE = "application/vnd.sealbook.evidence+json";

/** The file extension of an evidence bundle (PROTOCOL §8). */
export const EVIDENCE_FILE_EXTENSION = ".sealbook.json";

/** The `type` that names a document as an evidence bundle. */
export const EVIDENCE_TYPE = "sealbook.evidence";

const hash = hashReadSchema;
const timestamp = z.iso.datetime({ offset: true, error: "must be an RFC 3339 timestamp" });

/** The signer of an item: its public key, what the directory says of it, and its certificate chain. */
export const evidenceSignerSchema = z.object({
  kid: z.string().min(1),
  jwk: z.record(z.string(), z.unknown()),
  label: z.string(),
  validFrom: timestamp,
  revokedAt: timestamp.nullable(),
  /** The certificate chain the key was registered from, leaf first, base64 DER; empty when none. */
  x5c: z.array(z.string()).optional(),
});
export type EvidenceSigner = z.infer<typeof evidenceSignerSchema>;

/** One record in an evidence bundle. */
export const evidenceItemSchema = z.object({
  entryHash: hash,
  /** The signed record (compact JWS); omitted in a public bundle. */
  jws: z.string().min(1).optional(),
  acceptedAt: timestamp,
  /** The proof bundle of PROTOCOL §5, with its anchor. */
  bundle: proofBundleSchema,
  /**
   * The acceptance receipt of PROTOCOL §6, or null. Its form is checked with the receipt (a
   * malformed receipt fails the receipt check, it does not make the whole bundle unreadable).
   */
  receipt: z.record(z.string(), z.unknown()).nullable().optional(),
  signer: evidenceSignerSchema,
});
export type EvidenceItem = z.infer<typeof evidenceItemSchema>;

/** An anchored height: where the root of block `height` was published. */
export const evidenceAnchorSchema = z.object({ height: z.number().int().min(1), ...anchorReadShape });
export type EvidenceAnchor = z.infer<typeof evidenceAnchorSchema>;

/** The evidence bundle of PROTOCOL §8. */
export const evidenceBundleSchema = z.object({
  type: z.literal(EVIDENCE_TYPE),
  version: z.literal(1),
  ledgerId: z.string().min(1),
  genesisRoot: hash,
  createdAt: timestamp,
  items: z.array(evidenceItemSchema).min(1),
  blocks: z.array(blockHeaderSchema),
  anchors: z.array(evidenceAnchorSchema),
});
export type EvidenceBundle = z.infer<typeof evidenceBundleSchema>;

/** Whether parsed JSON says it is an evidence bundle (by its `type`), before it is checked further. */
export function looksLikeEvidenceBundle(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === EVIDENCE_TYPE;
}

/**
 * Reads an evidence bundle from parsed JSON.
 * Throws ProtocolError `invalid_request` listing what is missing or malformed (at most ten issues).
 */
export function parseEvidenceBundle(value: unknown): EvidenceBundle {
  const parsed = evidenceBundleSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join(".") || "(bundle)"}: ${i.message}`);
    const more = parsed.error.issues.length > 10 ? `; and ${parsed.error.issues.length - 10} more` : "";
    throw new ProtocolError("invalid_request", `This is not a Sealbook evidence bundle (PROTOCOL §8, version 1): ${issues.join("; ")}${more}.`);
  }
  return parsed.data;
}

/** The file name for an evidence bundle: `stem.sealbook.json`. */
export function evidenceFileName(stem: string): string {
  return `${stem.replace(/[^A-Za-z0-9._-]+/g, "-")}${EVIDENCE_FILE_EXTENSION}`;
}
