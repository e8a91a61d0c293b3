import type { AuditFinding, AuditProgress } from "../../lib/ledger/audit";
import { endProgress, progressLine, throttle, type Command } from "../cli-kit";
import { ledgerOperation } from "../control/client";
import { commandSpec } from "./specs";

export const audit: Command = {
  ...commandSpec("audit"),
  async run({ values }) {
    const show = throttle<string>(500, progressLine);
    const report = await ledgerOperation("audit", { chain: Boolean(values.chain) }, (progress) => {
      const p = progress as AuditProgress;
      if (!values.quiet) show(`auditing: block ${p.blocksDone}/${p.blocksTotal}, entry ${p.entriesDone}/${p.entriesTotal}`);
    });
    if (!values.quiet) endProgress();
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`Audited ledger "${report.ledgerId}": ${report.checked.blocks} blocks, ${report.checked.entries} entries (${report.checked.pending} pending), head at ${report.head}.`);
      if (report.archived) console.log(`${report.archived} archived block(s) were checked from their published files.`);
      if (report.ok) console.log(`No findings: every hash, signature, link and root checks out${values.chain ? ", and every anchored root matches the registry" : ""}.`);
      else {
        console.log(`${report.findings.length} finding(s):`);
        for (const f of report.findings) console.log(`  ${findingLine(f)}`);
      }
    }
    return report.ok ? 0 : 1;
  },
};

/** One finding as the audit prints it: its code, where, and what. */
export function findingLine(f: AuditFinding): string {
  const where = [f.height !== undefined ? `block ${f.height}` : null, f.entryHash ? `entry ${f.entryHash}` : null].filter(Boolean).join(", ");
  return `[${f.code}]${where ? ` ${where}:` : ""} ${f.message}`;
}
