import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { hashToBytes, type Hash } from "../protocol/hex";
import { pack } from "./backup";
import { compareWithChain, entryLineProblem, insertEntryLines, treeOfBlockCopy, BackupRefusedError, type AnchoredRoots } from "./backup-check";
import { BackupFormatError, type AnchorLine, type BackupCounts, type BackupLine, type BlockLine, type EntryLine } from "./backup-format";
import type { LedgerContext } from "./context";
import { span } from "./heights";
import { writeSealedBlock } from "./seal";

export interface RestoreProgress {
  phase: "restoring" | "done";
  blocks: number;
  entries: number;
}

export interface RestoreOptions {
  /** Restore blocks above the registry's latest height too, which nothing vouches for (default: refuse them). */
  acceptUnanchored?: boolean;
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreReport {
  ledgerId: string;
  head: number;
  counts: BackupCounts;
  /** Heights restored whose roots the chain holds. */
  vouched: { from: number; to: number } | null;
  /** Heights restored above the registry's latest height: nothing vouches for them. */
  unvouched: number[];
  /** Anchors rows restored (confirmed anchors on the same registry, at vouched heights). */
  anchorsRestored: number;
}

const ENTRY_BATCH = 5_000;
const ROOT_PREFETCH = 200;

/**
 * Rebuilds a ledger from a backup into an empty database, in one transaction: anything wrong, and
 * nothing is written. Every entry must be what its JWS says and name its block's previous root,
 * every block's entries must recompute to its root, and every root up to the registry's latest height
 * must be the one on chain (`rootOf`); the first height that differs is named. Blocks above the
 * latest height are refused unless `acceptUnanchored`, and then listed as not vouched. A backup older
 * than the chain (the registry holds heights it lacks) is refused: it would leave the ledger behind
 * its own anchors. Leaf positions and tree tiles are rebuilt by the seal code, not copied; anchors rows
 * are kept only for vouched heights on the same registry. Entry sequence numbers and timestamps are
 * restored exactly. Throws BackupRefusedError or BackupFormatError.
 */
export async function restoreLedger(ctx: LedgerContext, lines: AsyncIterable<BackupLine>, chain: AnchoredRoots, options: RestoreOptions = {}): Promise<RestoreReport> {
  if (chain.genesisRoot !== ctx.genesisRoot) {
    throw new BackupRefusedError(`The registry ${chain.registry} is for genesis root ${chain.genesisRoot}, not ledger ${ctx.ledgerId}'s ${ctx.genesisRoot}: check REGISTRY_ADDRESS.`);
  }
  const progress = options.onProgress ?? (() => {});
  return ctx.db.transaction(async (tx) => {
    await assertEmpty(tx);
    const counts: BackupCounts = { trustedCas: 0, signers: 0, signerCertificates: 0, blocks: 0, entries: 0, pending: 0, anchors: 0 };
    const roots: Hash[] = [];
    const unvouched: number[] = [];
    const anchors: AnchorLine[] = [];
    let chainRoots = new Map<number, Hash | null>();
    let headRoot = ctx.genesisRoot;
    let block: { header: BlockLine; hashes: Uint8Array[] } | null = null;
    let pendingSection = false;
    let headerSeen = false;
    let manifest: Extract<BackupLine, { type: "manifest" }> | null = null;
    let batch: EntryLine[] = [];

    const flushEntries = async () => {
      await insertEntryLines(tx, batch);
      batch = [];
      progress({ phase: "restoring", blocks: counts.blocks, entries: counts.entries });
    };
    const finishBlock = async () => {
      if (!block) return;
      await flushEntries();
      const { header } = block;
      const packed = pack(block.hashes);
      const tree = treeOfBlockCopy(header, packed, headRoot);
      if (header.height > chain.latestHeight) unvouched.push(header.height);
      else {
        if (!chainRoots.has(header.height)) {
          const heights = Array.from({ length: ROOT_PREFETCH }, (_, i) => header.height + i).filter((h) => h <= chain.latestHeight);
          chainRoots = await chain.rootsOf(heights);
        }
        const verdict = compareWithChain(header.root, chainRoots.get(header.height));
        if (verdict.kind !== "vouched") {
          throw new BackupRefusedError(
            verdict.kind === "differs"
              ? `The backup does not match the chain from block ${header.height} on: its root there is ${header.root}, the registry ${chain.registry} holds ${verdict.onChain}.`
              : `The registry ${chain.registry} holds no root at height ${header.height}, below its latest height ${chain.latestHeight}: the chain cannot vouch for the backup.`,
            header.height,
          );
        }
      }
      await writeSealedBlock(tx, header, packed, tree);
      roots.push(header.root);
      headRoot = header.root;
      counts.blocks++;
      block = null;
    };

    for await (const line of lines) {
      if (!headerSeen) {
        if (line.type !== "backup") throw new BackupFormatError("The backup does not start with its header line: it is not a Sealbook backup.");
        if (line.ledgerId !== ctx.ledgerId || line.genesisRoot !== ctx.genesisRoot) {
          throw new BackupRefusedError(`The backup is of ledger ${JSON.stringify(line.ledgerId)}, but this database is for ledger ${JSON.stringify(ctx.ledgerId)}: set LEDGER_ID to match.`);
        }
        headerSeen = true;
        continue;
      }
      if (manifest) throw new BackupFormatError("The backup has rows after its manifest.");
      switch (line.type) {
        case "backup":
          throw new BackupFormatError("The backup has a second header line.");
        case "trusted_ca":
          await tx.execute(
            sql`insert into trusted_cas (id, fingerprint, subject, issuer, serial_number, not_before, not_after, der, added_at, added_by, removed_at, removed_by)
                overriding system value
                values (${line.id}, ${line.fingerprint}, ${line.subject}, ${line.issuer}, ${line.serialNumber}, ${line.notBefore}::timestamptz, ${line.notAfter}::timestamptz,
                        decode(${line.der}, 'base64'), ${line.addedAt}::timestamptz, ${line.addedBy}, ${line.removedAt}::timestamptz, ${line.removedBy})`,
          );
          counts.trustedCas++;
          break;
        case "signer":
          await tx.execute(
            sql`insert into signers (kid, alg, public_jwk, label, organization, valid_from, revoked_at, revocation_reason, created_at)
                values (${line.kid}, ${line.alg}, ${JSON.stringify(line.publicJwk)}::jsonb, ${line.label}, ${line.organization}, ${line.validFrom}::timestamptz,
                        ${line.revokedAt}::timestamptz, ${line.revocationReason}, ${line.createdAt}::timestamptz)`,
          );
          counts.signers++;
          break;
        case "signer_certificate":
          await tx.execute(
            sql`insert into signer_certificates (kid, trusted_ca_id, fingerprint, subject, issuer, serial_number, not_before, not_after, chain, created_at)
                values (${line.kid}, ${line.trustedCaId}, ${line.fingerprint}, ${line.subject}, ${line.issuer}, ${line.serialNumber}, ${line.notBefore}::timestamptz,
                        ${line.notAfter}::timestamptz, ${JSON.stringify(line.chain)}::jsonb, ${line.createdAt}::timestamptz)`,
          );
          counts.signerCertificates++;
          break;
        case "block":
          if (pendingSection) throw new BackupFormatError(`Block ${line.height} comes after the pending entries.`);
          await finishBlock();
          if (line.height !== counts.blocks + 1) throw new BackupRefusedError(`The backup jumps to block ${line.height} after block ${counts.blocks}.`, counts.blocks + 1);
          block = { header: line, hashes: [] };
          break;
        case "entry": {
          const problem = entryLineProblem(line);
          const expectedPrevRoot = block ? block.header.prevRoot : headRoot;
          if (problem) throw new BackupRefusedError(`The backup's ${problem}${block ? ` (block ${block.header.height})` : ""}.`, block?.header.height ?? null);
          if (!block && !pendingSection) throw new BackupFormatError(`Entry ${line.entryHash} comes before any block.`);
          if (line.prevRoot !== expectedPrevRoot) {
            throw new BackupRefusedError(
              block
                ? `Entry ${line.entryHash} follows block ${block.header.height} in the backup but names prevRoot ${line.prevRoot}, not the block's ${expectedPrevRoot}.`
                : `Pending entry ${line.entryHash} names prevRoot ${line.prevRoot}, not the head root ${expectedPrevRoot}: it could never be sealed.`,
              block?.header.height ?? null,
            );
          }
          if (block) block.hashes.push(hashToBytes(line.entryHash));
          else counts.pending++;
          batch.push(line);
          counts.entries++;
          if (batch.length >= ENTRY_BATCH) await flushEntries();
          break;
        }
        case "pending":
          await finishBlock();
          pendingSection = true;
          break;
        case "anchor":
          await finishBlock();
          anchors.push(line);
          break;
        case "manifest":
          await finishBlock();
          await flushEntries();
          manifest = line;
          break;
      }
    }
    if (!headerSeen) throw new BackupFormatError("The backup is empty.");
    if (!manifest) throw new BackupFormatError("The backup has no manifest at its end: it was cut short. Nothing was restored.");
    const manifestRoots = manifest.roots;
    const differs = roots.findIndex((root, i) => manifestRoots[i] !== root);
    if (differs >= 0 || manifestRoots.length !== roots.length) {
      const height = differs >= 0 ? differs + 1 : Math.min(roots.length, manifestRoots.length) + 1;
      throw new BackupRefusedError(`The backup's manifest of roots disagrees with its blocks from height ${height} on.`, height);
    }
    counts.anchors = anchors.length;
    const countNames = Object.keys(counts) as Array<keyof BackupCounts>;
    if (countNames.some((name) => manifest!.counts[name] !== counts[name])) {
      throw new BackupRefusedError(`The backup's manifest counts ${JSON.stringify(manifest.counts)}, but it holds ${JSON.stringify(counts)}.`);
    }
    if (unvouched.length > 0 && !options.acceptUnanchored) {
      throw new BackupRefusedError(
        `Blocks ${span(unvouched)} are above the registry's latest height ${chain.latestHeight}: the chain cannot vouch for them. ` +
          `Restore them anyway with --accept-unanchored (they are then reported as not vouched), or anchor them first from the original ledger if it still runs.`,
        unvouched[0],
      );
    }
    if (chain.latestHeight > counts.blocks) {
      throw new BackupRefusedError(
        `The registry ${chain.registry} is at height ${chain.latestHeight}, but the backup ends at block ${counts.blocks}: it is older than the chain and lacks blocks ${counts.blocks + 1}–${chain.latestHeight}. Use a newer backup.`,
        counts.blocks + 1,
      );
    }
    let anchorsRestored = 0;
    for (const a of anchors) {
      if (a.height > chain.latestHeight || a.registry.toLowerCase() !== chain.registry.toLowerCase() || a.chainId !== chain.chainId) continue;
      await tx.execute(
        sql`insert into anchors (height, status, chain_id, registry, tx_hash, chain_block_number, gas_used, attempts, last_error, updated_at, batch_size)
            values (${a.height}, 'confirmed', ${a.chainId}, ${a.registry}, ${a.txHash}, ${a.chainBlockNumber}, ${a.gasUsed}, ${a.attempts}, null, ${a.updatedAt}::timestamptz, ${a.batchSize})`,
      );
      anchorsRestored++;
    }
    // The identity sequences continue after the restored rows.
    await tx.execute(sql`select setval(pg_get_serial_sequence('entries', 'seq'), greatest((select max(seq) from entries), 1), (select count(*) > 0 from entries))`);
    await tx.execute(sql`select setval(pg_get_serial_sequence('trusted_cas', 'id'), greatest((select max(id) from trusted_cas), 1), (select count(*) > 0 from trusted_cas))`);
    progress({ phase: "done", blocks: counts.blocks, entries: counts.entries });
    const vouchedTo = Math.min(counts.blocks, chain.latestHeight);
    return { ledgerId: ctx.ledgerId, head: counts.blocks, counts, vouched: vouchedTo > 0 ? { from: 1, to: vouchedTo } : null, unvouched, anchorsRestored };
  });
}

/** Refuses a database that holds any ledger data (the ledger row itself is fine: opening the ledger writes it). */
async function assertEmpty(tx: Database): Promise<void> {
  const [row] = await queryRows<Record<string, boolean>>(
    tx,
    sql`select exists (select 1 from entries) as entries, exists (select 1 from blocks) as blocks, exists (select 1 from signers) as signers,
               exists (select 1 from trusted_cas) as trusted_cas, exists (select 1 from entry_leaves) as entry_leaves,
               exists (select 1 from block_tree_tiles) as block_tree_tiles, exists (select 1 from anchors) as anchors`,
  );
  const holding = Object.entries(row).filter(([, present]) => present).map(([table]) => table);
  if (holding.length > 0) throw new BackupRefusedError(`The database is not empty (it has rows in ${holding.join(", ")}): restore only into an empty database.`);
}
