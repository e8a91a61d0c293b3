/**
 * The checks a backup's copy of a block must pass before restore or repair writes it back: each
 * entry is what its JWS says, the block's entries recompute to its root, and that root is the one
 * anchored on chain. The chain side is handed in (`AnchoredRoots`, provided by lib/chain), so the
 * ledger layer never talks to a chain client itself.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client";
import { packJws } from "../../db/packed-jws";
import { ensureLedgerPartitions } from "../../db/partitions";
import { entryHashOf } from "../protocol/hash";
import type { Hash } from "../protocol/hex";
import type { BlockTree } from "../protocol/merkle";
import { decodeRecord } from "../protocol/record";
import type { BlockLine, EntryLine } from "./backup-format";
import { buildTreeFromPacked } from "./tree";

/** What the registry holds for this ledger, read at one chain block. */
export interface AnchoredRoots {
  /** The registry's address, for messages and for matching anchors rows. */
  registry: string;
  chainId: number;
  genesisRoot: Hash;
  /** The registry's latest height: blocks above it cannot be vouched for. */
  latestHeight: number;
  /** `rootOf(h)` for each height; a height not anchored maps to null. */
  rootsOf(heights: number[]): Promise<Map<number, Hash | null>>;
}

/** A backup that restore or repair will not use, with the first height that differs when there is one. */
export class BackupRefusedError extends Error {
  readonly height: number | null;
  constructor(message: string, height: number | null = null) {
    super(message);
    this.name = "BackupRefusedError";
    this.height = height;
  }
}

/** Why an entry line is not what its JWS says, or null when it is. */
export function entryLineProblem(line: EntryLine): string | null {
  const computed = entryHashOf(line.jws);
  if (computed !== line.entryHash) return `entry ${line.entryHash}: its JWS hashes to ${computed}`;
  let payload;
  let kid;
  try {
    const decoded = decodeRecord(line.jws);
    payload = decoded.payload;
    kid = decoded.header.kid;
  } catch (error) {
    return `entry ${line.entryHash}: its JWS is not a valid record (${(error as Error).message})`;
  }
  if (payload.id.toLowerCase() !== line.recordId || payload.kind !== line.kind || payload.prevRoot !== line.prevRoot || kid !== line.kid) {
    return `entry ${line.entryHash}: its columns (id, kind, kid, prevRoot) differ from its signed payload`;
  }
  return null;
}

/**
 * Builds the tree of a backup's block from its entry hashes (`packed`, 32 bytes apiece) and checks it:
 * the count and root are the header's, and the header names `previousRoot`.
 * Throws BackupRefusedError naming the block otherwise.
 */
export function treeOfBlockCopy(header: BlockLine, packed: Uint8Array, previousRoot: Hash): BlockTree {
  const count = packed.length / 32;
  if (header.prevRoot !== previousRoot) {
    throw new BackupRefusedError(`Block ${header.height} in the backup names prevRoot ${header.prevRoot}, but the root before it is ${previousRoot}.`, header.height);
  }
  if (count !== header.entryCount) {
    throw new BackupRefusedError(`Block ${header.height} in the backup says it holds ${header.entryCount} entries, but ${count} follow it.`, header.height);
  }
  const tree = buildTreeFromPacked(packed);
  if (tree.root !== header.root) {
    throw new BackupRefusedError(`Block ${header.height} in the backup: its entries give root ${tree.root}, but its header says ${header.root}.`, header.height);
  }
  return tree;
}

/** A root compared with the chain: the same, not anchored there, or another root. */
export type ChainVerdict = { kind: "vouched" } | { kind: "unanchored" } | { kind: "differs"; onChain: Hash };

export function compareWithChain(root: Hash, onChain: Hash | null | undefined): ChainVerdict {
  if (!onChain) return { kind: "unanchored" };
  return onChain === root ? { kind: "vouched" } : { kind: "differs", onChain };
}

/**
 * Inserts entry rows exactly as a backup holds them, their sequence numbers included, in one
 * statement. Used by restore (every entry) and repair (the entries a block lost).
 */
export async function insertEntryLines(tx: Database, lines: readonly EntryLine[]): Promise<void> {
  if (lines.length === 0) return;
  await ensureLedgerPartitions(tx, { seq: Math.max(...lines.map((l) => l.seq)) });
  // The line's kind is in its JWS, and its kid names the signer's number (migration 0010).
  const rows = lines.map((l) => ({ seq: l.seq, entry_hash: l.entryHash.slice(2), record_id: l.recordId, kid: l.kid, prev_root: l.prevRoot.slice(2), jws: packJws(l.jws).toString("base64"), accepted_at: l.acceptedAt }));
  await tx.execute(
    sql`insert into entries (seq, entry_hash, record_id, signer_id, prev_root, jws, accepted_at) overriding system value
        select r.seq, decode(r.entry_hash, 'hex'), r.record_id::uuid, (select s.id from signers s where s.kid = r.kid), decode(r.prev_root, 'hex'), decode(r.jws, 'base64'), r.accepted_at::timestamptz
        from json_to_recordset(${JSON.stringify(rows)}::json)
          as r(seq bigint, entry_hash text, record_id text, kid text, prev_root text, jws text, accepted_at text)`,
  );
}
