/**
 * The backup file (issue 15): one ledger, gzip-compressed JSON lines, one row per line. The order is
 * fixed so that a restore can stream it: the `backup` header, the certification centres, the signers
 * and their certificates, then each block followed by its entries (the entries naming its previous
 * root, in acceptance order), a `pending` line followed by the entries no block holds yet, the
 * confirmed anchors, and last a `manifest` with every block root and the counts (a file cut short has
 * none and is refused). Timestamps keep PostgreSQL's microseconds, so rows come back exactly.
 * Leaf positions and tree tiles are not in it: they are rebuilt from the entries by the seal code.
 */
import { z } from "zod";
import { isHash, type Hash } from "../protocol/hex";

export const BACKUP_FORMAT = "sealbook-backup/1";

const hash = z.string().refine(isHash, "a hash: 0x and 64 lowercase hex digits").transform((h) => h as Hash);
/** An instant as PostgreSQL wrote it, to the microsecond (`2026-11-26T10:00:00.123456Z`). */
const instant = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/, "an instant like 2026-11-26T10:00:00.123456Z");
const count = z.number().int().min(0);

/** What the ledger keeps of any X.509 certificate it trusts or registered a key from. */
const certificateFields = {
  fingerprint: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: instant,
  notAfter: instant,
};

export const backupHeaderSchema = z.strictObject({
  type: z.literal("backup"),
  format: z.literal(BACKUP_FORMAT),
  ledgerId: z.string(),
  genesisRoot: hash,
  createdAt: z.string(),
  head: count,
});

export const trustedCaLineSchema = z.strictObject({
  type: z.literal("trusted_ca"),
  id: z.number().int().min(1),
  ...certificateFields,
  /** Base64 DER. */
  der: z.string(),
  addedAt: instant,
  addedBy: z.string(),
  removedAt: instant.nullable(),
  removedBy: z.string().nullable(),
});

export const signerLineSchema = z.strictObject({
  type: z.literal("signer"),
  kid: z.string(),
  alg: z.string(),
  publicJwk: z.record(z.string(), z.string()),
  label: z.string(),
  organization: z.string().nullable(),
  validFrom: instant,
  revokedAt: instant.nullable(),
  revocationReason: z.string().nullable(),
  createdAt: instant,
});

export const signerCertificateLineSchema = z.strictObject({
  type: z.literal("signer_certificate"),
  kid: z.string(),
  trustedCaId: z.number().int().nullable(),
  ...certificateFields,
  chain: z.array(z.string()),
  createdAt: instant,
});

export const blockLineSchema = z.strictObject({
  type: z.literal("block"),
  height: z.number().int().min(1),
  root: hash,
  prevRoot: hash,
  entryCount: z.number().int().min(1),
  sealedAt: instant,
});

export const entryLineSchema = z.strictObject({
  type: z.literal("entry"),
  seq: z.number().int().min(1),
  entryHash: hash,
  recordId: z.string(),
  kid: z.string(),
  kind: z.string(),
  prevRoot: hash,
  jws: z.string(),
  acceptedAt: instant,
});

export const pendingLineSchema = z.strictObject({ type: z.literal("pending") });

/** The anchoring job's record of a confirmed anchor. The chain is the evidence; restore keeps only rows it vouches for. */
export const anchorLineSchema = z.strictObject({
  type: z.literal("anchor"),
  height: z.number().int().min(1),
  chainId: z.number().int(),
  registry: z.string(),
  txHash: z.string().nullable(),
  chainBlockNumber: z.number().int().nullable(),
  gasUsed: z.number().int().nullable(),
  attempts: count,
  updatedAt: instant,
  batchSize: z.number().int().min(1),
});

export const manifestLineSchema = z.strictObject({
  type: z.literal("manifest"),
  /** `roots[i]` is the root of block i+1. */
  roots: z.array(hash),
  counts: z.strictObject({ trustedCas: count, signers: count, signerCertificates: count, blocks: count, entries: count, pending: count, anchors: count }),
});

export const backupLineSchema = z.discriminatedUnion("type", [
  backupHeaderSchema,
  trustedCaLineSchema,
  signerLineSchema,
  signerCertificateLineSchema,
  blockLineSchema,
  entryLineSchema,
  pendingLineSchema,
  anchorLineSchema,
  manifestLineSchema,
]);

export type BackupHeader = z.infer<typeof backupHeaderSchema>;
export type TrustedCaLine = z.infer<typeof trustedCaLineSchema>;
export type SignerLine = z.infer<typeof signerLineSchema>;
export type SignerCertificateLine = z.infer<typeof signerCertificateLineSchema>;
export type BlockLine = z.infer<typeof blockLineSchema>;
export type EntryLine = z.infer<typeof entryLineSchema>;
export type AnchorLine = z.infer<typeof anchorLineSchema>;
export type ManifestLine = z.infer<typeof manifestLineSchema>;
export type BackupLine = z.infer<typeof backupLineSchema>;
export type BackupCounts = ManifestLine["counts"];

/** A backup file that cannot be used: cut short, malformed, or not what it claims. */
export class BackupFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BackupFormatError";
  }
}

/** Parses one line of a backup file; throws BackupFormatError naming the line and what is wrong. */
export function parseBackupLine(text: string, lineNumber: number): BackupLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BackupFormatError(`Line ${lineNumber} of the backup is not JSON (${(error as Error).message}).`);
  }
  const parsed = backupLineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackupFormatError(`Line ${lineNumber} of the backup is not a valid row: ${issue.path.join(".") || "(line)"}: ${issue.message}.`);
  }
  return parsed.data;
}
