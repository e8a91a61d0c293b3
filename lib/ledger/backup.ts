import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { unpackJws } from "../../db/packed-jws";
import { namesRoot } from "../../db/root-key";
import { hashToBytes, type Hash } from "../protocol/hex";
import { BACKUP_FORMAT, type BackupCounts, type BlockLine, type EntryLine } from "./backup-format";
import type { BackupSink } from "./backup-file";
import { archivedBelow } from "./archived-blocks";
import type { LedgerContext } from "./context";
import { buildTreeFromPacked } from "./tree";

export interface BackupProgress {
  blocksDone: number;
  blocksTotal: number;
  entriesDone: number;
  entriesTotal: number;
}

export interface BackupResult {
  ledgerId: string;
  head: number;
  counts: BackupCounts;
  /** Blocks whose entries in the database do not give their root: the backup cannot vouch for them. */
  inconsistentBlocks: Array<{ height: number; root: Hash; computedRoot: Hash | null }>;
}

const PAGE = 5_000;

/** An instant as text to the microsecond, in UTC: what the backup stores, so rows come back exactly. */
export function instantText(column: SQL): SQL {
  return sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
const hex = (column: SQL) => sql`'0x' || encode(${column}, 'hex')`;
const nullableInstant = (column: SQL) => sql`case when ${column} is null then null else ${instantText(column)} end`;

export type EntryRowText = { seq: string | number; entry_hash: Hash; record_id: string; kid: string; prev_root: Hash; jws: Uint8Array; accepted_at: string };
/**
 * The columns of an entry as its backup line holds them. The line names the signer by kid and keeps
 * the record's kind, as before migration 0010: the kid is read from the directory, the kind from the
 * JWS (`toEntryLine`), and the JWS is unpacked from its stored form.
 */
export const entryTextColumns = sql`e.seq, ${hex(sql`e.entry_hash`)} as entry_hash, e.record_id::text as record_id,
  (select s.kid from signers s where s.id = e.signer_id) as kid,
  ${hex(sql`e.prev_root`)} as prev_root, e.jws, ${instantText(sql`e.accepted_at`)} as accepted_at`;

export function toEntryLine(r: EntryRowText): EntryLine {
  const jws = unpackJws(r.jws);
  return { type: "entry", seq: Number(r.seq), entryHash: r.entry_hash, recordId: r.record_id, kid: r.kid, kind: kindOf(jws), prevRoot: r.prev_root, jws, acceptedAt: r.accepted_at };
}

/**
 * The `kind` its payload names, or "" when the JWS has no readable payload (an altered row: the
 * restore's and the audit's checks name it; the backup still copies it as it is).
 */
function kindOf(jws: string): string {
  try {
    const payload: unknown = JSON.parse(Buffer.from(jws.split(".")[1] ?? "", "base64url").toString("utf8"));
    const kind = (payload as { kind?: unknown } | null)?.kind;
    return typeof kind === "string" ? kind : "";
  } catch {
    return "";
  }
}

/**
 * Streams a complete, private backup of the ledger to `sink` (format: backup-format.ts): certification
 * centres, signers with their certificates and revocations, every block header, every entry with its
 * JWS and acceptance time, the pending entries, the confirmed anchors, and a manifest of block roots.
 * Not the admin log or admin accounts. Everything is read in one repeatable-read, read-only
 * transaction, so the backup is one consistent moment of the ledger while it keeps accepting records.
 * Each block's root is recomputed from its entries on the way: a block that does not add up is named
 * in the result (its copy in this backup will not pass a restore or a repair).
 */
export async function writeBackup(ctx: LedgerContext, sink: BackupSink, options: { onProgress?: (p: BackupProgress) => void } = {}): Promise<BackupResult> {
  const line = await archivedBelow(ctx.db);
  if (line > 0) {
    // The records of archived blocks are no longer in the ledger's tables: a backup would hold
    // blocks that do not add up. Refuse rather than write one that cannot be restored.
    throw new Error(
      `Blocks below ${line} are archived (sealbook archive): their records are in the schema sealbook_archive or its dump, not in the ledger's tables, ` +
        "so a Sealbook backup of this ledger would be incomplete. Back the database up with pg_dump, the archived partitions with it, until backups of archived ledgers are supported.",
    );
  }
  return ctx.db.transaction(
    async (tx) => {
      const blocks = await queryRows<{ height: number; root: Hash; prev_root: Hash; entry_count: number; sealed_at: string }>(
        tx,
        sql`select height, ${hex(sql`root`)} as root, ${hex(sql`prev_root`)} as prev_root, entry_count, ${instantText(sql`sealed_at`)} as sealed_at
            from blocks order by height`,
      );
      const [{ n: entriesTotalRaw }] = await queryRows<{ n: string | number }>(tx, sql`select count(*) as n from entries`);
      const entriesTotal = Number(entriesTotalRaw);
      const head = blocks.length > 0 ? Number(blocks[blocks.length - 1].height) : 0;
      const counts: BackupCounts = { trustedCas: 0, signers: 0, signerCertificates: 0, blocks: 0, entries: 0, pending: 0, anchors: 0 };
      const progress = () => options.onProgress?.({ blocksDone: counts.blocks, blocksTotal: blocks.length, entriesDone: counts.entries, entriesTotal });

      await sink.write({ type: "backup", format: BACKUP_FORMAT, ledgerId: ctx.ledgerId, genesisRoot: ctx.genesisRoot, createdAt: ctx.now().toISOString(), head });

      const cas = await queryRows<Record<string, string | number | null>>(
        tx,
        sql`select id, fingerprint, subject, issuer, serial_number, ${instantText(sql`not_before`)} as not_before, ${instantText(sql`not_after`)} as not_after,
                   encode(der, 'base64') as der, ${instantText(sql`added_at`)} as added_at, added_by, ${nullableInstant(sql`removed_at`)} as removed_at, removed_by
            from trusted_cas order by id`,
      );
      for (const c of cas) {
        await sink.write({
          type: "trusted_ca",
          id: Number(c.id),
          fingerprint: String(c.fingerprint),
          subject: String(c.subject),
          issuer: String(c.issuer),
          serialNumber: String(c.serial_number),
          notBefore: String(c.not_before),
          notAfter: String(c.not_after),
          der: String(c.der).replace(/\s+/g, ""),
          addedAt: String(c.added_at),
          addedBy: String(c.added_by),
          removedAt: c.removed_at === null ? null : String(c.removed_at),
          removedBy: c.removed_by === null ? null : String(c.removed_by),
        });
        counts.trustedCas++;
      }

      const signers = await queryRows<{
        kid: string;
        alg: string;
        public_jwk: Record<string, string> | string;
        label: string;
        organization: string | null;
        valid_from: string;
        revoked_at: string | null;
        revocation_reason: string | null;
        created_at: string;
      }>(
        tx,
        sql`select kid, alg, public_jwk, label, organization, ${instantText(sql`valid_from`)} as valid_from, ${nullableInstant(sql`revoked_at`)} as revoked_at,
                   revocation_reason, ${instantText(sql`created_at`)} as created_at
            from signers order by created_at, kid`,
      );
      for (const s of signers) {
        const publicJwk = typeof s.public_jwk === "string" ? (JSON.parse(s.public_jwk) as Record<string, string>) : s.public_jwk;
        await sink.write({
          type: "signer",
          kid: s.kid,
          alg: s.alg,
          publicJwk,
          label: s.label,
          organization: s.organization,
          validFrom: s.valid_from,
          revokedAt: s.revoked_at,
          revocationReason: s.revocation_reason,
          createdAt: s.created_at,
        });
        counts.signers++;
      }

      const certificates = await queryRows<{
        kid: string;
        trusted_ca_id: number | null;
        fingerprint: string;
        subject: string;
        issuer: string;
        serial_number: string;
        not_before: string;
        not_after: string;
        chain: string[] | string;
        created_at: string;
      }>(
        tx,
        sql`select kid, trusted_ca_id, fingerprint, subject, issuer, serial_number, ${instantText(sql`not_before`)} as not_before,
                   ${instantText(sql`not_after`)} as not_after, chain, ${instantText(sql`created_at`)} as created_at
            from signer_certificates order by kid`,
      );
      for (const c of certificates) {
        await sink.write({
          type: "signer_certificate",
          kid: c.kid,
          trustedCaId: c.trusted_ca_id === null ? null : Number(c.trusted_ca_id),
          fingerprint: c.fingerprint,
          subject: c.subject,
          issuer: c.issuer,
          serialNumber: c.serial_number,
          notBefore: c.not_before,
          notAfter: c.not_after,
          chain: typeof c.chain === "string" ? (JSON.parse(c.chain) as string[]) : c.chain,
          createdAt: c.created_at,
        });
        counts.signerCertificates++;
      }

      const inconsistentBlocks: BackupResult["inconsistentBlocks"] = [];
      const roots: Hash[] = [];
      for (const b of blocks) {
        const block: BlockLine = { type: "block", height: Number(b.height), root: b.root, prevRoot: b.prev_root, entryCount: Number(b.entry_count), sealedAt: b.sealed_at };
        await sink.write(block);
        const hashes: Uint8Array[] = [];
        await streamEntries(tx, namesRoot(sql`e.prev_root`, hashToBytes(block.prevRoot)), async (line) => {
          await sink.write(line);
          hashes.push(hashToBytes(line.entryHash));
          counts.entries++;
          if (counts.entries % PAGE === 0) progress();
        });
        const computedRoot = hashes.length === 0 ? null : buildTreeFromPacked(pack(hashes)).root;
        if (computedRoot !== block.root) inconsistentBlocks.push({ height: block.height, root: block.root, computedRoot });
        roots.push(block.root);
        counts.blocks++;
        progress();
      }

      await sink.write({ type: "pending" });
      await streamEntries(tx, sql`e.prev_root not in (select prev_root from blocks)`, async (line) => {
        await sink.write(line);
        counts.entries++;
        counts.pending++;
      });

      const anchors = await queryRows<{
        height: number;
        chain_id: number;
        registry: string;
        tx_hash: string | null;
        chain_block_number: string | number | null;
        gas_used: string | number | null;
        attempts: number;
        updated_at: string;
        batch_size: number;
      }>(
        tx,
        sql`select height, chain_id, registry, tx_hash, chain_block_number, gas_used, attempts, ${instantText(sql`updated_at`)} as updated_at, batch_size
            from anchors where status = 'confirmed' order by height`,
      );
      for (const a of anchors) {
        await sink.write({
          type: "anchor",
          height: Number(a.height),
          chainId: Number(a.chain_id),
          registry: a.registry,
          txHash: a.tx_hash,
          chainBlockNumber: a.chain_block_number === null ? null : Number(a.chain_block_number),
          gasUsed: a.gas_used === null ? null : Number(a.gas_used),
          attempts: Number(a.attempts),
          updatedAt: a.updated_at,
          batchSize: Number(a.batch_size),
        });
        counts.anchors++;
      }
      await sink.write({ type: "manifest", roots, counts });
      progress();
      return { ledgerId: ctx.ledgerId, head, counts, inconsistentBlocks };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Entries matching `where` (over `entries e`), in acceptance order, a page at a time. */
async function streamEntries(tx: Database, where: SQL, each: (line: EntryLine) => Promise<void>): Promise<void> {
  for (let from = 0; ; ) {
    const rows = await queryRows<EntryRowText>(tx, sql`select ${entryTextColumns} from entries e where ${where} and e.seq > ${from} order by e.seq limit ${PAGE}`);
    for (const row of rows) await each(toEntryLine(row));
    if (rows.length < PAGE) return;
    from = Number(rows[rows.length - 1].seq);
  }
}

/** Entry hashes packed 32 bytes apiece, as the tree builder takes them. */
export function pack(hashes: readonly Uint8Array[]): Uint8Array {
  const packed = new Uint8Array(hashes.length * 32);
  hashes.forEach((h, i) => packed.set(h, i * 32));
  return packed;
}
