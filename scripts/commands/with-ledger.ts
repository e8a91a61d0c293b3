import type { LedgerContext } from "../../lib/ledger/context";
import { openRuntime, type Runtime } from "../../lib/server/runtime";
import { CliError } from "../cli-kit";

/** Opens the configured ledger for one command and closes it afterwards. */
export async function withLedger<T>(fn: (ledger: LedgerContext, runtime: Runtime) => Promise<T>): Promise<T> {
  let runtime: Runtime;
  try {
    runtime = await openRuntime();
  } catch (error) {
    throw new CliError((error as Error).message, 1);
  }
  try {
    return await fn(runtime.ledger, runtime);
  } finally {
    await runtime.handle.close();
  }
}
