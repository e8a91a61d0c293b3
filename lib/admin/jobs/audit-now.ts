import { auditWithChain } from "../../chain/audit-check";
import { chainAccess } from "../../chain/chain-access";
import { auditLedger, type AuditProgress, type AuditReport } from "../../ledger/audit";
import type { Runtime } from "../../ledger/runtime";
import type { ProgressReporter } from "../http/job-stream";

/** An audit report, with whether and against which registry the roots were compared on chain. */
export type AdminAuditReport = AuditReport & { chain: { compared: boolean; chainId: number | null; registry: string | null; note: string | null } };

/**
 * Runs `sealbook audit`, with `chain` also `--chain`: re-verifies the whole ledger from the database
 * and, with the chain, compares every block root with the registry's. Progress is told at most
 * four times a second. Never throws for a finding: findings are the report.
 */
export async function auditNow(runtime: Runtime, options: { chain: boolean }, progress: ProgressReporter): Promise<AdminAuditReport> {
  const { ledger } = runtime;
  let registry: `0x${string}` | null = null;
  let chain: Awaited<ReturnType<typeof chainAccess>> = null;
  let chainInfo: AdminAuditReport["chain"] = { compared: false, chainId: null, registry: null, note: options.chain ? null : "The roots were not compared with the chain (not asked)." };
  if (options.chain) {
    chain = await chainAccess(runtime.config);
    if (!chain?.settings.registry) {
      chainInfo.note = chain ? "No registry is configured, so the roots were not compared with the chain." : "Chain services are off (SEALBOOK_CHAIN=off).";
      progress(chainInfo.note);
    } else {
      registry = chain.settings.registry;
      chainInfo = { compared: true, chainId: chain.settings.chainId, registry, note: null };
      progress(`Comparing every block root with the registry ${registry}.`);
    }
  }
  let last = 0;
  let lastMessage = "";
  const onProgress = (p: AuditProgress) => {
    const now = Date.now();
    const message = `Auditing: block ${p.blocksDone} of ${p.blocksTotal}, entry ${p.entriesDone} of ${p.entriesTotal}`;
    if (message === lastMessage || (now - last < 250 && p.blocksDone < p.blocksTotal)) return;
    last = now;
    lastMessage = message;
    progress(message, { ...p });
  };
  const audited = chain && registry ? await auditWithChain(ledger, { client: chain.client, registry, redact: chain.redact, onProgress }) : await auditLedger(ledger, { onProgress });
  const report: AdminAuditReport = { ...audited, chain: chainInfo };
  progress(report.ok ? "No findings." : `${report.findings.length} finding(s).`);
  return report;
}
