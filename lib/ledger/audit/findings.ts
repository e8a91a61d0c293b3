/**
 * What the audit reports (lib/ledger/audit.ts) and what its steps share: the findings, the report,
 * the rows they read.
 */
import { sql, type SQL } from "drizzle-orm";
import { ROOT_KEY_FUNCTION } from "../../../db/root-key";
import type { Hash } from "../../protocol/hex";

/** What the audit can find wrong. Each finding names the block height and/or entry hash. */
export type FindingCode =
  | "block_missing"
  | "block_prev_root_mismatch"
  | "block_root_mismatch"
  | "block_entry_count_mismatch"
  | "block_tiles_mismatch"
  | "entry_hash_mismatch"
  | "entry_invalid"
  | "entry_fields_mismatch"
  | "entry_prev_root_mismatch"
  | "entry_signer_invalid"
  | "entry_bad_signature"
  | "entry_leaf_index_mismatch"
  | "entry_missing"
  | "entry_not_in_tree"
  /** An entry's row in entry_keys (migration 0011) is missing or not its own: lookups by hash would miss it. */
  | "entry_key_mismatch"
  | "duplicate_entry"
  | "orphan_entry"
  | "orphan_tiles"
  /** An archived block's published files are not the sealed block (lib/ledger/archived-blocks.ts). */
  | "archived_files_mismatch"
  | "stranded_pending_entry"
  | "chain_root_mismatch"
  | "chain_unreachable";

export interface AuditFinding {
  code: FindingCode;
  height?: number;
  entryHash?: Hash;
  message: string;
}

export interface AuditProgress {
  blocksDone: number;
  blocksTotal: number;
  entriesDone: number;
  entriesTotal: number;
}

export interface AuditReport {
  ok: boolean;
  ledgerId: string;
  head: number;
  checked: { blocks: number; entries: number; pending: number };
  /**
   * Sealed blocks whose leaf positions and tree are not written yet (a seal in progress, or one a
   * crash interrupted; the next start or seal completes them). Their entries, root and count are
   * checked; their leaf list and tiles are checked once written.
   */
  derivedPending: number[];
  /** Blocks below the archive line, checked from their published files instead of the database; present once something is archived. */
  archived?: number;
  findings: AuditFinding[];
  startedAt: string;
  finishedAt: string;
}

export interface AuditOptions {
  onProgress?: (progress: AuditProgress) => void;
  /** Compares each block root with an independent source (the chain); returns the finding to report, if any. */
  checkRoot?: (height: number, root: Hash) => Promise<AuditFinding | null>;
}

/** Adds a finding to the report, in the order found. */
export type Report = (finding: AuditFinding) => void;

/** A stored entry as the audit reads it (`entryColumns`). */
export type EntryRow = {
  entry_hash: Uint8Array;
  record_id: string;
  /** The signer's number (signers.id). */
  signer_id: number;
  prev_root: Uint8Array;
  /** The JWS in its stored form (db/packed-jws.ts). */
  jws: Uint8Array;
  accepted_at: Date | string;
};

/** Checks one stored entry on its own (./entry-check.ts); `height` is the block that holds it, if any. */
export type CheckEntry = (row: EntryRow, height: number | undefined) => Promise<void>;

/** A sealed block as the audit reads it; `derived` says whether its leaf list and tiles are written. */
export type Block = { height: number; root: Hash; prevRoot: Hash; entryCount: number; derived: boolean };

/** Rows read per query while walking entries and leaves. */
export const PAGE = 5_000;

/** The columns of an `EntryRow`, from `entries e`. */
export const entryColumns = sql`e.entry_hash, e.record_id::text as record_id, e.signer_id, e.prev_root, e.jws, e.accepted_at`;

/**
 * Whether the row `k` of entry_keys (joined on the record id) is entry `e`'s: same seq, the key of
 * its hash, and `height` as its block. False when the row is missing.
 */
export function keyMatches(height: SQL): SQL {
  return sql`coalesce(k.seq = e.seq and k.hash_key = ${sql.raw(ROOT_KEY_FUNCTION)}(e.entry_hash) and k.height is not distinct from ${height}, false)`;
}

/** The finding for an entry whose row in entry_keys is missing or not its own (`keyMatches`). */
export function entryKeyMismatch(entryHash: Hash, height?: number): AuditFinding {
  return {
    code: "entry_key_mismatch",
    ...(height === undefined ? {} : { height }),
    entryHash,
    message: `Entry ${entryHash}: its row in entry_keys is missing or altered, so lookups by its hash do not find it.`,
  };
}
