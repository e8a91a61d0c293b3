import { existsSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { writeAdminLog } from "../../lib/admin/admin-log";
import { readAnchoredRoots } from "../../lib/chain/anchored-roots";
import { auditWithChain } from "../../lib/chain/audit-check";
import type { AnchoredRoots } from "../../lib/ledger/backup-check";
import { BackupRefusedError } from "../../lib/ledger/backup-check";
import { openBackupFile, readBackupFile } from "../../lib/ledger/backup-file";
import { BackupFormatError } from "../../lib/ledger/backup-format";
import { writeBackup } from "../../lib/ledger/backup";
import { repairLedger, type BlockRepairSummary, type RepairReport } from "../../lib/ledger/repair";
import { span } from "../../lib/ledger/heights";
import { restoreLedger } from "../../lib/ledger/restore";
import type { Runtime } from "../../lib/server/runtime";
import { CliError, endProgress, progressLine, throttle, type Command } from "../cli-kit";
import { commandSpec } from "./specs";
import { findingLine } from "./audit";
import { cliChain, type CliChain } from "./chain-context";
import { withLedger } from "./with-ledger";

export const backup: Command = {
  ...commandSpec("backup"),
  async run({ values }) {
    const out = values.out as string | undefined;
    if (!out) throw new CliError("--out FILE is required: where to write the backup (gzip'd JSON lines, e.g. ledger-2026-11-26.sealbook.gz).");
    if (existsSync(out) && !values.force) throw new CliError(`${out} already exists; choose another name or pass --force to replace it.`);
    const show = throttle<string>(500, progressLine);
    const result = await withLedger(async (ledger) => {
      const file = openBackupFile(out);
      try {
        const written = await writeBackup(ledger, file, {
          onProgress: (p) => {
            if (!values.quiet) show(`backing up: block ${p.blocksDone}/${p.blocksTotal}, entry ${p.entriesDone}/${p.entriesTotal}`);
          },
        });
        await file.commit();
        return { ...written, bytes: file.bytesWritten(), file: out };
      } catch (error) {
        await file.abort();
        throw error;
      }
    });
    if (!values.quiet) endProgress();
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      const c = result.counts;
      console.log(
        `Backed up ledger "${result.ledgerId}" to ${out} (${result.bytes.toLocaleString("en")} bytes): ${c.blocks} blocks, ${c.entries} entries (${c.pending} pending), ` +
          `${c.signers} signers, ${c.signerCertificates} certificates, ${c.trustedCas} certification centres, ${c.anchors} anchors.`,
      );
      for (const b of result.inconsistentBlocks) {
        console.log(`  WARNING: block ${b.height}'s entries give root ${b.computedRoot ?? "(none)"}, not its root ${b.root}: this copy of it will not restore or repair. Run \`sealbook audit\`.`);
      }
    }
    return result.inconsistentBlocks.length === 0 ? 0 : 1;
  },
};

/** The registry's roots for restore and repair; the chain is required: it is what vouches for a backup. */
async function anchoredRoots(runtime: Runtime): Promise<{ chain: CliChain; roots: AnchoredRoots }> {
  const chain = await cliChain(runtime.config);
  if (!chain.settings.registry) throw new CliError("The chain is what vouches for a backup: set REGISTRY_ADDRESS (and RPC_URL) to the ledger's registry.", 2);
  try {
    return { chain, roots: await readAnchoredRoots(chain.client, chain.settings.registry) };
  } catch (error) {
    throw new CliError(chain.redact(`Cannot read the registry: ${(error as Error).message}`), 3);
  }
}

/** Turns a refused or unreadable backup into the CLI's error, exit 1. */
function refusal(error: unknown): never {
  if (error instanceof BackupRefusedError) throw new CliError(`The backup is refused; nothing was changed. ${error.message}`, 1);
  if (error instanceof BackupFormatError) throw new CliError(`The backup cannot be used; nothing was changed. ${error.message}`, 1);
  throw error;
}

export const restore: Command = {
  ...commandSpec("restore"),
  async run({ values }) {
    const from = values.from as string | undefined;
    if (!from) throw new CliError("--from FILE is required: the backup to restore.");
    if (!existsSync(from)) throw new CliError(`There is no file ${from}.`);
    const show = throttle<string>(500, progressLine);
    const report = await withLedger(async (ledger, runtime) => {
      const { roots } = await anchoredRoots(runtime);
      return restoreLedger(ledger, readBackupFile(from), roots, {
        acceptUnanchored: !!values["accept-unanchored"],
        onProgress: (p) => {
          if (!values.quiet) show(`restoring: block ${p.blocks}, entry ${p.entries}`, p.phase === "done");
        },
      }).catch(refusal);
    });
    if (!values.quiet) endProgress();
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      const c = report.counts;
      console.log(`Restored ledger "${report.ledgerId}": ${c.blocks} blocks, ${c.entries} entries (${c.pending} pending), ${c.signers} signers, ${report.anchorsRestored} anchors.`);
      console.log(report.vouched ? `Blocks ${report.vouched.from}–${report.vouched.to}: every root is the one on chain.` : "No block is anchored on chain yet.");
      if (report.unvouched.length > 0) console.log(`NOT VOUCHED: blocks ${span(report.unvouched)} are above the registry's latest height; nothing vouches for them.`);
      console.log("Run `sealbook audit --chain` to check the restored ledger.");
    }
  },
};

const cliClient = () => ({ ip: null, userAgent: `sealbook CLI (${userInfo().username}@${hostname()})` });
const MAX_LOGGED_HASHES = 100;
const capped = (hashes: string[]) => ({ count: hashes.length, hashes: hashes.slice(0, MAX_LOGGED_HASHES) });

export const repair: Command = {
  ...commandSpec("repair"),
  async run({ values }) {
    const from = values.from as string | undefined;
    if (!from) throw new CliError("--from BACKUP is required: the backup to take the damaged blocks from.");
    if (!existsSync(from)) throw new CliError(`There is no file ${from}.`);
    const dryRun = !!values["dry-run"];
    const show = throttle<string>(500, progressLine);
    const say = (line: string) => {
      if (!values.quiet) show(line, true);
    };
    const report = await withLedger(async (ledger, runtime) => {
      const { chain, roots } = await anchoredRoots(runtime);
      const registry = roots.registry as `0x${string}`;
      const audit = () =>
        auditWithChain(ledger, {
          client: chain.client,
          registry,
          redact: chain.redact,
          onProgress: (p) => {
            if (!values.quiet) show(`auditing: block ${p.blocksDone}/${p.blocksTotal}, entry ${p.entriesDone}/${p.entriesTotal}`);
          },
        });
      const logBlock = async (tx: typeof ledger.db, s: BlockRepairSummary) =>
        writeAdminLog(tx, {
          at: ledger.now(),
          actor: { userId: null, email: null, role: null },
          action: "ledger.repair",
          target: `block ${s.height}`,
          outcome: "ok",
          details: {
            via: "cli",
            backup: from,
            registry,
            header: s.header,
            displacedBlocks: s.displacedBlocks,
            entries: { inserted: capped(s.entries.inserted), replaced: capped(s.entries.replaced), removed: capped(s.entries.removed) },
            leaves: s.leaves,
            tiles: s.tiles,
            rowsChanged: s.rowsChanged,
          },
          client: cliClient(),
        });
      const result = await repairLedger(ledger, () => readBackupFile(from), roots, { dryRun, audit, onBlockRepaired: logBlock, onProgress: say }).catch(refusal);
      if (!dryRun && (result.repaired.some((r) => r.rowsChanged > 0) || result.notRepaired.length > 0)) {
        await writeAdminLog(ledger.db, {
          at: ledger.now(),
          actor: { userId: null, email: null, role: null },
          action: "ledger.repair",
          target: "ledger",
          outcome: result.ok ? "ok" : "failed",
          details: {
            via: "cli",
            backup: from,
            registry,
            repairedBlocks: result.repaired.filter((r) => r.rowsChanged > 0).map((r) => r.height),
            notRepaired: result.notRepaired.map((n) => ({ height: n.height, reason: n.reason, findings: n.findings.length })),
            findingsBefore: result.before.findings.length,
            findingsAfter: result.after?.findings.length ?? null,
          },
          client: cliClient(),
        });
      }
      return result;
    });
    if (!values.quiet) endProgress();
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else printRepair(report);
    return report.ok ? 0 : 1;
  },
};

function printRepair(report: RepairReport): void {
  const verb = report.dryRun ? "would put back" : "put back";
  if (report.before.ok) {
    console.log("The audit found nothing to repair.");
    return;
  }
  console.log(`The audit found ${report.before.findings.length} finding(s) before the repair.`);
  for (const r of report.repaired) {
    if (r.rowsChanged === 0) {
      console.log(`Block ${r.height}: nothing left to put back (another block's repair mended it).`);
      continue;
    }
    const parts = [
      r.header ? `header ${r.header}` : null,
      r.displacedBlocks.length > 0 ? `block rows at ${r.displacedBlocks.join(", ")} held its root and were removed` : null,
      r.entries.inserted.length ? `${r.entries.inserted.length} entries put back` : null,
      r.entries.replaced.length ? `${r.entries.replaced.length} changed entries restored` : null,
      r.entries.removed.length ? `${r.entries.removed.length} entries not in the block removed` : null,
      r.leaves.inserted + r.leaves.removed ? `leaf positions: ${r.leaves.inserted} written, ${r.leaves.removed} removed` : null,
      r.tiles.inserted + r.tiles.replaced + r.tiles.removed ? `tree tiles: ${r.tiles.inserted} written, ${r.tiles.replaced} rewritten, ${r.tiles.removed} removed` : null,
    ].filter(Boolean);
    console.log(`Block ${r.height}: ${verb} ${r.rowsChanged} rows (${parts.join("; ")}).`);
    for (const hash of [...r.entries.inserted, ...r.entries.replaced, ...r.entries.removed].slice(0, 20)) console.log(`  entry ${hash}`);
  }
  for (const n of report.notRepaired) {
    console.log(`${n.height === null ? "Not tied to a block" : `Block ${n.height}`}: NOT REPAIRED. ${n.reason}`);
    for (const f of n.findings.slice(0, 10)) console.log(`  ${findingLine(f)}`);
  }
  if (report.dryRun) console.log("Dry run: nothing was changed.");
  else if (report.ok) console.log("The audit after the repair is clean, and every root matches the chain.");
  else console.log(`The audit after the repair still has ${report.after?.findings.length ?? 0} finding(s).`);
}
