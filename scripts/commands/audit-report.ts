import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { chainRootChecker } from "../../lib/chain/audit-check";
import { auditLedger, type AuditProgress } from "../../lib/ledger/audit";
import type { Runtime } from "../../lib/server/runtime";
import { CliError } from "../cli-kit";
import { cliChain } from "./chain-context";

/**
 * Audits the ledger of `runtime` (lib/ledger/audit.ts) and, with `chain`, compares every anchored
 * root with the registry named by the runtime's configuration. Throws a CliError when `chain` is
 * asked for without a registry.
 */
export async function auditWithChain(runtime: Runtime, options: { chain: boolean; onProgress(progress: AuditProgress): void }) {
  const { ledger } = runtime;
  let checker: ReturnType<typeof chainRootChecker> | undefined;
  if (options.chain) {
    const chain = await cliChain(runtime.config);
    if (!chain.settings.registry) throw new CliError("--chain needs the registry: set REGISTRY_ADDRESS (and RPC_URL).", 2);
    const anchored = await queryRows<{ height: number }>(ledger.db, sql`select height from anchors where status = 'confirmed' and registry = ${chain.settings.registry}`);
    checker = chainRootChecker({ client: chain.client, registry: chain.settings.registry, anchoredHeights: new Set(anchored.map((r) => Number(r.height))), redact: chain.redact });
  }
  const audited = await auditLedger(ledger, { checkRoot: checker?.checkRoot, onProgress: options.onProgress });
  const extra = checker ? await checker.finish(audited.head) : [];
  return { ...audited, findings: [...audited.findings, ...extra], ok: audited.ok && extra.length === 0 };
}
