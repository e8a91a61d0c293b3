import { auditWithChain } from "../../lib/chain/audit-check";
import { auditLedger, type AuditProgress } from "../../lib/ledger/audit";
import { takeAuditLock } from "../../db/job-lock";
import { ProtocolError } from "../../lib/protocol/errors";
import type { Runtime } from "../../lib/server/runtime";
import { CliError } from "../cli-kit";
import { cliChain } from "./chain-context";

/**
 * Audits the ledger of `runtime` (lib/ledger/audit.ts) and, with `chain`, compares every anchored
 * root with the registry named by the runtime's configuration. Throws a CliError when `chain` is
 * asked for without a registry, and a CliError (exit 3) while another audit runs: one at a time.
 */
export async function auditForCli(runtime: Runtime, options: { chain: boolean; onProgress(progress: AuditProgress): void }) {
  const lock = await takeAuditLock(runtime.ledger).catch((error: unknown) => {
    throw error instanceof ProtocolError ? new CliError(error.message, 3) : error;
  });
  try {
    return await auditOnce(runtime, options);
  } finally {
    await lock.release();
  }
}

async function auditOnce(runtime: Runtime, options: { chain: boolean; onProgress(progress: AuditProgress): void }) {
  if (!options.chain) return auditLedger(runtime.ledger, { onProgress: options.onProgress });
  const chain = await cliChain(runtime.config);
  if (!chain.settings.registry) throw new CliError("--chain needs the registry: set REGISTRY_ADDRESS (and RPC_URL).", 2);
  return auditWithChain(runtime.ledger, { client: chain.client, registry: chain.settings.registry, redact: chain.redact, onProgress: options.onProgress });
}
