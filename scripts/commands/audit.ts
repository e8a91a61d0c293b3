import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { chainRootChecker } from "../../lib/chain/audit-check";
import { auditLedger } from "../../lib/ledger/audit";
import type { LedgerContext } from "../../lib/ledger/context";
import { takeAuditLock } from "../../lib/ledger/job-lock";
import type { Runtime } from "../../lib/server/runtime";
import { ProtocolError } from "../../lib/protocol/errors";
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
    const report = await withLedger(async (ledger, runtime) => {
      const lock = await takeAuditLock(ledger).catch((error: unknown) => {
        throw error instanceof ProtocolError ? new CliError(error.message, 3) : error;
      });
      try {
        return await auditWith(ledger, runtime);
      } finally {
        await lock.release();
      }
    });
    async function auditWith(ledger: LedgerContext, runtime: Runtime) {
      let checker: ReturnType<typeof chainRootChecker> | undefined;
      if (values.chain) {
        const chain = await cliChain(runtime.config);
        if (!chain.settings.registry) throw new CliError("--chain needs the registry: set REGISTRY_ADDRESS (and RPC_URL).", 2);
        const anchored = await queryRows<{ height: number }>(
          ledger.db,
          sql`select height from anchors where status = 'confirmed' and registry = ${chain.settings.registry}`,
        );
        checker = chainRootChecker({ client: chain.client, registry: chain.settings.registry, anchoredHeights: new Set(anchored.map((r) => Number(r.height))), redact: chain.redact });
      }
      const audited = await auditLedger(ledger, {
        checkRoot: checker?.checkRoot,
        onProgress: (p) => {
          if (!values.quiet) show(`auditing: block ${p.blocksDone}/${p.blocksTotal}, entry ${p.entriesDone}/${p.entriesTotal}`);
        },
      });
      const extra = checker ? await checker.finish(audited.head) : [];
      return { ...audited, findings: [...audited.findings, ...extra], ok: audited.ok && extra.length === 0 };
    }
    if (!values.quiet) endProgress();
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(`Audited ledger "${report.ledgerId}": ${report.checked.blocks} blocks, ${report.checked.entries} entries (${report.checked.pending} pending), head at ${report.head}.`);
      if (report.ok) console.log(`No findings: every hash, signature, link and root checks out${values.chain ? ", and every anchored root matches the registry" : ""}.`);
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
