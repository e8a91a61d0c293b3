import type { Database } from "../../db/client";
import { hashToBytes, type Hash } from "../protocol/hex";
import type { AuditFinding, AuditReport } from "./audit";
import { pack } from "./backup";
import { compareWithChain, entryLineProblem, treeOfBlockCopy, BackupRefusedError, type AnchoredRoots } from "./backup-check";
import { BackupFormatError, type BackupLine, type BlockLine, type EntryLine } from "./backup-format";
import { archivedBelow } from "./archived-blocks";
import type { LedgerContext } from "./context";
import { lockLedger } from "./head";
import { applyBlockRepair, planBlockRepair, rowsChanged, type BlockRepairPlan, type VouchedBlock } from "./repair-plan";

/** What one block's repair changed (or, in a dry run, would change). */
export interface BlockRepairSummary {
  height: number;
  header: "inserted" | "updated" | null;
  displacedBlocks: number[];
  entries: { inserted: Hash[]; replaced: Hash[]; removed: Hash[] };
  leaves: { inserted: number; removed: number };
  tiles: { inserted: number; replaced: number; removed: number };
  rowsChanged: number;
}

export interface NotRepaired {
  /** Null for a finding tied to no block. */
  height: number | null;
  reason: string;
  findings: AuditFinding[];
}

export interface RepairReport {
  dryRun: boolean;
  /** The audit before the repair. */
  before: AuditReport;
  /** Blocks whose rows were put back (in a dry run: would be). */
  repaired: BlockRepairSummary[];
  notRepaired: NotRepaired[];
  /** The audit after the repair; null in a dry run. */
  after: AuditReport | null;
  /** True when the audit after the repair is clean. */
  ok: boolean;
}

export interface RepairOptions {
  /** Say what would change, change nothing. */
  dryRun?: boolean;
  /** Runs the audit, with the chain check; the repair runs it before and after. */
  audit: () => Promise<AuditReport>;
  /** Called inside each block's transaction once its rows are put back: the caller writes the admin log there. */
  onBlockRepaired?: (tx: Database, summary: BlockRepairSummary) => Promise<void>;
  onProgress?: (line: string) => void;
}

/**
 * Mends what the audit found, from a backup the chain vouches for (`sealbook repair`). Runs the audit;
 * for each damaged block takes the backup's copy of it, only when its entries recompute to the root
 * anchored on chain; puts back exactly the rows that differ (entries changed, removed or forged, block
 * headers changed or removed, leaf positions, tree tiles), one transaction per block with the
 * append-only guard lifted for those rows only; runs the audit again. What cannot be repaired is
 * reported with the reason (the backup does not cover the block, it was never anchored, the backup's
 * copy is not the chain's…). `backup` is called once and must yield the backup's lines in order.
 * Throws BackupFormatError or BackupRefusedError for a backup of another ledger or cut short.
 */
export async function repairLedger(ctx: LedgerContext, backup: () => AsyncIterable<BackupLine>, chain: AnchoredRoots, options: RepairOptions): Promise<RepairReport> {
  const say = options.onProgress ?? (() => {});
  if (chain.genesisRoot !== ctx.genesisRoot) {
    throw new BackupRefusedError(`The registry ${chain.registry} is for genesis root ${chain.genesisRoot}, not ledger ${ctx.ledgerId}'s: check REGISTRY_ADDRESS.`);
  }
  say("auditing before the repair");
  const before = await options.audit();
  const byHeight = new Map<number | null, AuditFinding[]>();
  for (const f of before.findings) {
    if (f.code === "chain_unreachable") throw new Error(`The chain could not be read, so nothing can be vouched for: ${f.message}`);
    const key = f.height ?? null;
    byHeight.set(key, [...(byHeight.get(key) ?? []), f]);
  }
  const damaged = [...byHeight.keys()].filter((h): h is number => h !== null).sort((a, b) => a - b);
  const notRepaired: NotRepaired[] = [];
  const repaired: BlockRepairSummary[] = [];
  if (damaged.length === 0 && !byHeight.has(null)) return { dryRun: !!options.dryRun, before, repaired, notRepaired, after: before, ok: true };

  say(`reading the backup's copies of blocks ${damaged.join(", ")}`);
  const { copies, backupHead } = await readBlockCopies(ctx, backup(), new Set(damaged));
  const chainRoots = await chain.rootsOf([...new Set(damaged.flatMap((h) => [h, h - 1]).filter((h) => h >= 1 && h <= chain.latestHeight))]);
  const rootOnChain = (h: number): Hash | null => (h === 0 ? ctx.genesisRoot : h > chain.latestHeight ? null : (chainRoots.get(h) ?? null));

  const vouched: VouchedBlock[] = [];
  const archiveLine = await archivedBelow(ctx.db);
  for (const height of damaged) {
    const refuse = (reason: string) => notRepaired.push({ height, reason, findings: byHeight.get(height) ?? [] });
    if (height < archiveLine) {
      refuse(`Block ${height} is archived: it is read from its published files, which a repair does not write. Publish it again from a good copy (\`sealbook publish --from ${height}\` on a ledger that still holds it).`);
      continue;
    }
    const copy = copies.get(height);
    if (!copy) {
      refuse(`The backup does not cover block ${height}: it ends at block ${backupHead}.`);
      continue;
    }
    const onChain = rootOnChain(height);
    if (!onChain) {
      refuse(`Block ${height} was never anchored (the registry's latest height is ${chain.latestHeight}): nothing vouches for the backup's copy of it.`);
      continue;
    }
    if (copy.problem) {
      refuse(`The backup's copy of block ${height} is not usable: ${copy.problem}.`);
      continue;
    }
    try {
      const packed = pack(copy.entries.map((e) => hashToBytes(e.entryHash)));
      const tree = treeOfBlockCopy(copy.header, packed, rootOnChain(height - 1) ?? copy.header.prevRoot);
      const verdict = compareWithChain(tree.root, onChain);
      if (verdict.kind !== "vouched") throw new BackupRefusedError(`its entries give root ${tree.root}, but the registry holds ${onChain}`, height);
      vouched.push({ header: copy.header, entries: copy.entries, packed, tree });
    } catch (error) {
      if (!(error instanceof BackupRefusedError)) throw error;
      refuse(`The backup's copy of block ${height} does not match the chain: ${error.message}`);
    }
  }

  const ownerOf = new Map<Hash, number>();
  for (const copy of vouched) for (const e of copy.entries) ownerOf.set(e.entryHash, copy.header.height);
  for (const copy of vouched) {
    const height = copy.header.height;
    if (options.dryRun) {
      const plan = await planBlockRepair(ctx.db, copy, ownerOf);
      repaired.push(summarize(plan));
      say(`block ${height}: would change ${rowsChanged(plan)} rows`);
      continue;
    }
    const summary = await ctx.db.transaction(async (tx) => {
      await lockLedger(tx, ctx.ledgerId, "update");
      const plan = await planBlockRepair(tx, copy, ownerOf);
      const summary = summarize(plan);
      if (summary.rowsChanged === 0) return summary;
      await applyBlockRepair(tx, copy, plan);
      await options.onBlockRepaired?.(tx, summary);
      return summary;
    });
    repaired.push(summary);
    say(`block ${height}: ${summary.rowsChanged} rows put back`);
  }

  if (options.dryRun) {
    const heightless = byHeight.get(null);
    if (heightless) {
      notRepaired.push({ height: null, reason: "Tied to no block: a repair from the backup does not touch these; they may clear once the blocks are repaired.", findings: heightless });
    }
    return { dryRun: true, before, repaired, notRepaired, after: null, ok: false };
  }

  say("auditing after the repair");
  const after = await options.audit();
  const skipped = new Set(notRepaired.map((n) => n.height));
  const left = new Map<number | null, AuditFinding[]>();
  for (const f of after.findings) left.set(f.height ?? null, [...(left.get(f.height ?? null) ?? []), f]);
  for (const [height, findings] of left) {
    const known = notRepaired.find((n) => n.height === height);
    if (known) known.findings = findings;
    else if (!skipped.has(height)) {
      notRepaired.push({
        height,
        reason: height === null ? "Tied to no block: the backup and the chain vouch for blocks only (a pending entry, a signer)." : `Still found after block ${height} was repaired.`,
        findings,
      });
    }
  }
  // A block skipped before may have been mended by another block's repair (a swap, a moved entry).
  const stillDamaged = notRepaired.filter((n) => left.has(n.height));
  return { dryRun: false, before, repaired, notRepaired: stillDamaged, after, ok: after.ok };
}

function summarize(plan: BlockRepairPlan): BlockRepairSummary {
  return {
    height: plan.height,
    header: plan.header === "insert" ? "inserted" : plan.header === "update" ? "updated" : null,
    displacedBlocks: plan.displacedBlocks,
    entries: { inserted: plan.entries.insert.map((e) => e.entryHash), replaced: plan.entries.replace.map((e) => e.entryHash), removed: plan.entries.remove },
    leaves: { inserted: plan.leaves.insert.length, removed: plan.leaves.remove.length },
    tiles: { inserted: plan.tiles.insert.length, replaced: plan.tiles.replace.length, removed: plan.tiles.remove.length },
    rowsChanged: rowsChanged(plan),
  };
}

type BlockCopy = { header: BlockLine; entries: EntryLine[]; problem: string | null };

/** Reads the backup's copies of the `wanted` blocks (header and entries), checking each entry line on the way. */
async function readBlockCopies(ctx: LedgerContext, lines: AsyncIterable<BackupLine>, wanted: ReadonlySet<number>): Promise<{ copies: Map<number, BlockCopy>; backupHead: number }> {
  const copies = new Map<number, BlockCopy>();
  let current: BlockCopy | null = null;
  let first = true;
  let manifest = false;
  let backupHead = 0;
  for await (const line of lines) {
    if (first) {
      if (line.type !== "backup") throw new BackupFormatError("The backup does not start with its header line: it is not a Sealbook backup.");
      if (line.ledgerId !== ctx.ledgerId || line.genesisRoot !== ctx.genesisRoot) {
        throw new BackupRefusedError(`The backup is of ledger ${JSON.stringify(line.ledgerId)}, not ${JSON.stringify(ctx.ledgerId)}.`);
      }
      first = false;
      continue;
    }
    if (line.type === "block") {
      backupHead = line.height;
      current = wanted.has(line.height) ? { header: line, entries: [], problem: null } : null;
      if (current) copies.set(line.height, current);
    } else if (line.type === "entry") {
      if (!current) continue;
      const problem = entryLineProblem(line) ?? (line.prevRoot !== current.header.prevRoot ? `entry ${line.entryHash} names prevRoot ${line.prevRoot}, not the block's ${current.header.prevRoot}` : null);
      current.problem ??= problem;
      current.entries.push(line);
    } else {
      current = null;
      if (line.type === "manifest") manifest = true;
    }
  }
  if (first) throw new BackupFormatError("The backup is empty.");
  if (!manifest) throw new BackupFormatError("The backup has no manifest at its end: it was cut short, and is not used.");
  return { copies, backupHead };
}
