import { auditWithChain } from "../../lib/chain/audit-check";
import { auditLedger, type AuditFinding, type AuditProgress } from "../../lib/ledger/audit";
import { CliError, endProgress, progressLine, throttle, type Command } from "../cli-kit";
import { cliChain } from "./chain-context";
import { withLedger } from "./with-ledger";

export const audit: Command = {
  name: "audit",
  summary: "Re-verify the whole ledger from the database: hashes, signatures, links, roots, counts; with --chain, every root against the registry. Exits 1 on any finding.",
  usage: "sealbook audit [--chain] [--json] [--quiet]",
  options: { json: { type: "boolean" }, quiet: { type: "boolean" }, chain: { type: "boolean" } },
  async run({ values }) {
    const show = throttle<string>(500, progressLine);
    const onProgress = (p: AuditProgress) => {
      if (!values.quiet) show(`auditing: block ${p.blocksDone}/${p.blocksTotal}, entry ${p.entriesDone}/${p.entriesTotal}`);
    };
    const report = await withLedger(async (ledger, runtime) => {
      if (!values.chain) return auditLedger(ledger, { onProgress });
      const chain = await cliChain(runtime.config);
      if (!chain.settings.registry) throw new CliError("--chain needs the registry: set REGISTRY_ADDRESS (and RPC_URL).", 2);
      return auditWithChain(ledger, { client: chain.client, registry: chain.settings.registry, redact: chain.redact, onProgress });
    });
    if (!values.quiet) endProgress();
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`Audited ledger "${report.ledgerId}": ${report.checked.blocks} blocks, ${report.checked.entries} entries (${report.checked.pending} pending), head at ${report.head}.`);
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
