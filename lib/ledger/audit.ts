/**
 * The audit (issue "Ledger core", Audit): re-verifies the whole ledger from the database alone, in
 * named steps (lib/ledger/audit/): the chain of blocks, each block with its entries, what no block
 * accounts for, the entries no block holds.
 */
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { signers as signersTable } from "../../db/schema";
import { archiveReader, archivedBelow, checkArchivedBlock } from "./archived-blocks";
import type { LedgerContext } from "./context";
import { auditBlock } from "./audit/block";
import { checkChainOfBlocks, readBlocks } from "./audit/blocks";
import { EntryChecker } from "./audit/entry-check";
import type { AuditFinding, AuditOptions, AuditReport, Block } from "./audit/findings";
import { checkOrphans, checkUnsealedEntries } from "./audit/leftovers";
import { metrics } from "../observability/metrics";

export type { AuditFinding, AuditOptions, AuditProgress, AuditReport, FindingCode } from "./audit/findings";

/**
 * Re-verifies the whole ledger from the database alone: every entry hash against its JWS, every
 * signature under its signer's key as valid at acceptance, every prevRoot link, every block root
 * recomputed from its entries (block h holds exactly the entries naming root(h-1)), the published
 * leaf list and the stored tree tiles, the chain of blocks, the counts, and orphans and duplicates.
 * It never stops at the first finding.
 */
export async function auditLedger(ctx: LedgerContext, options: AuditOptions = {}): Promise<AuditReport> {
  const startedAt = new Date().toISOString();
  const findings: AuditFinding[] = [];
  const report = (f: AuditFinding) => findings.push(f);
  const { db } = ctx;

  const blocks = await readBlocks(db);
  const byHeight = new Map(blocks.map((b) => [b.height, b]));
  const head = blocks.length > 0 ? blocks[blocks.length - 1].height : 0;
  const headRoot = head > 0 ? byHeight.get(head)!.root : ctx.genesisRoot;
  const [{ n: totalRaw }] = await queryRows<{ n: string | number }>(db, sql`select count(*) as n from entries`);
  const entriesTotal = Number(totalRaw);

  checkChainOfBlocks(byHeight, head, ctx.genesisRoot, report);

  const signerRows = await db.select().from(signersTable);
  const entries = new EntryChecker(ctx, new Map(signerRows.map((s) => [s.kid, s])), report);
  let blocksDone = 0;
  const progress = () => options.onProgress?.({ blocksDone, blocksTotal: blocks.length, entriesDone: entries.done, entriesTotal });

  const line = await archivedBelow(db);
  for (const block of blocks) {
    if (block.height < line) await auditArchivedBlock(ctx, block, options, report);
    else await auditBlockAndRoot(ctx, block, entries, options, report, progress);
    blocksDone++;
    progress();
  }
  await checkOrphans(db, report);
  const pending = await checkUnsealedEntries(db, headRoot, entries.check, report, progress);

  countInMetrics(findings);
  return {
    ok: findings.length === 0,
    ledgerId: ctx.ledgerId,
    head,
    checked: { blocks: blocks.length, entries: entries.done, pending },
    derivedPending: blocks.filter((b) => !b.derived).map((b) => b.height),
    ...(line > 0 ? { archived: blocks.filter((b) => b.height < line).length } : {}),
    findings,
    startedAt,
    finishedAt: new Date().toISOString(),
  };
}

/** One block with its entries, then its root against the independent source, if one is given. */
async function auditBlockAndRoot(ctx: LedgerContext, block: Block, entries: EntryChecker, options: AuditOptions, report: (f: AuditFinding) => void, progress: () => void): Promise<void> {
  await auditBlock(ctx, block, entries.check, report, progress);
  if (options.checkRoot) {
    const finding = await options.checkRoot(block.height, block.root);
    if (finding) report(finding);
  }
}

/**
 * An archived block, from its published files: they must verify (the entry list gives the root,
 * the tree file is that tree) and be the sealed block (header and leaf list); then its root
 * against the independent source, as for any block.
 */
async function auditArchivedBlock(ctx: LedgerContext, block: Block, options: AuditOptions, report: (f: AuditFinding) => void): Promise<void> {
  const problem = await checkArchivedBlock(ctx.db, archiveReader(ctx, block.height), block.height);
  if (problem) report({ code: "archived_files_mismatch", height: block.height, message: problem });
  if (options.checkRoot) {
    const finding = await options.checkRoot(block.height, block.root);
    if (finding) report(finding);
  }
}

/** Counts the run and its findings (by code) in the process's metrics. */
function countInMetrics(findings: AuditFinding[]): void {
  const m = metrics();
  m.auditRuns.inc({ result: findings.length === 0 ? "clean" : "findings" });
  for (const finding of findings) m.auditFindings.inc({ code: finding.code });
}
