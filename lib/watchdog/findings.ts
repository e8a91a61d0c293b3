/**
 * What a watchdog reports: a finding is evidence that the ledger is not what it claims, named by
 * the block height or the entry it is about. Outages are not findings (see retry.ts).
 */
import type { Hash } from "../protocol/hex";

export type FindingKind =
  /** The registry on chain belongs to another ledger (another genesis root), or the portal's genesis root is not its ledger id's. */
  | "genesis_mismatch"
  /** The portal tells browsers to check another registry or chain than the one the watchdog trusts. */
  | "registry_mismatch"
  /** The chain holds another root at this height than the portal's block. */
  | "chain_root_mismatch"
  /** The entry list the portal serves for this block does not produce the block's root (or its count). */
  | "entries_root_mismatch"
  /** The block's prevRoot is not the root of the block before it. */
  | "broken_link"
  /** The block differs from what this watchdog verified before: history was rewritten, or it is shown a split view. */
  | "block_changed"
  /** A block seen before, or one the chain has anchored, is not served any more. */
  | "block_missing"
  /** Sealed blocks wait longer than the allowed lag to be anchored. */
  | "anchoring_lag"
  /** The sealBy of a valid receipt has passed and the ledger does not know the entry. */
  | "receipt_dropped"
  /** The sealBy of a valid receipt has passed and the entry is still pending. */
  | "receipt_overdue"
  /** The entry of a valid receipt was sealed after its sealBy, or in another block than promised. */
  | "receipt_broken"
  /** The proof served for a receipt's entry does not hold against the block or the chain. */
  | "receipt_proof_invalid"
  /** The portal keeps answering something that is not what its API documents. */
  | "malformed_answer";

export interface Finding {
  kind: FindingKind;
  /** One or two sentences: what is wrong, where, and what it means. */
  message: string;
  height?: number;
  entryHash?: Hash;
  expected?: string;
  found?: string;
}

/** A stable key for a finding (kind, height, entry), to report each one once. */
export function findingKey(finding: Finding): string {
  return [finding.kind, finding.height ?? "", finding.entryHash ?? ""].join(":");
}

/** One line for a terminal or a log: `ALARM kind at block h / entry e: message`. */
export function formatFinding(finding: Finding): string {
  const where = [finding.height !== undefined ? `block ${finding.height}` : null, finding.entryHash ? `entry ${finding.entryHash}` : null].filter(Boolean).join(", ");
  const values = finding.expected !== undefined || finding.found !== undefined ? ` (expected ${finding.expected ?? "?"}, found ${finding.found ?? "?"})` : "";
  return `ALARM ${finding.kind}${where ? ` at ${where}` : ""}: ${finding.message}${values}`;
}
