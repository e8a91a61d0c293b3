import { auditLedger } from "../../lib/ledger/audit";
import { endProgress, progressLine, throttle, type Command } from "../cli-kit";
import { withLedger } from "./with-ledger";

export const audit: Command = {
  name: "audit",
  summary: "Re-verify the whole ledger from the database: hashes, signatures, links, roots, counts. Exits 1 on any finding.",
  usage: "sealbook audit [--json] [--quiet]",
  options: { json: { type: "boolean" }, quiet: { type: "boolean" } },
  async run({ values }) {
    const show = throttle<string>(500, progressLine);
    const report = await withLedger((ledger) =>
      auditLedger(ledger, {
        onProgress: (p) => {
          if (!values.quiet) show(`auditing: block ${p.blocksDone}/${p.blocksTotal}, entry ${p.entriesDone}/${p.entriesTotal}`);
        },
      }),
    );
    if (!values.quiet) endProgress();
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`Audited ledger "${report.ledgerId}": ${report.checked.blocks} blocks, ${report.checked.entries} entries (${report.checked.pending} pending), head at ${report.head}.`);
      if (report.ok) console.log("No findings: every hash, signature, link and root checks out.");
      else {
        console.log(`${report.findings.length} finding(s):`);
        for (const f of report.findings) {
          const where = [f.height !== undefined ? `block ${f.height}` : null, f.entryHash ? `entry ${f.entryHash}` : null].filter(Boolean).join(", ");
          console.log(`  [${f.code}]${where ? ` ${where}:` : ""} ${f.message}`);
        }
      }
    }
    return report.ok ? 0 : 1;
  },
};
