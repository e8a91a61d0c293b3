import { startChainServices, type ChainServices } from "../../lib/chain/chain-services";
import { sealPendingEntries } from "../../lib/ledger/seal";
import { logger } from "../../lib/observability/logger";
import { openRuntime, type Runtime } from "../../lib/server/runtime";
import { CliError, type Command } from "../cli-kit";
import { commandSpec } from "./specs";

export const worker: Command = {
  ...commandSpec("worker"),
  async run() {
    const log = (line: string, level: "info" | "warn" = "info") => logger()[level]({ component: "worker" }, line);
    let runtime: Runtime;
    try {
      runtime = await openRuntime();
    } catch (error) {
      throw new CliError((error as Error).message, 1);
    }
    let services: ChainServices;
    try {
      services = await startChainServices(runtime, log);
    } catch (error) {
      await runtime.handle.close();
      throw new CliError(`The chain services could not start: ${(error as Error).message}`, 1);
    }
    const { SEAL_INTERVAL_SECONDS: sealSeconds } = runtime.config;
    let sealing: Promise<void> | null = null;
    const sealOnce = async () => {
      try {
        const block = await sealPendingEntries(runtime.ledger);
        if (block) log(`sealed block ${block.height}: ${block.entryCount} entries, root ${block.root}`);
      } catch (error) {
        log(`sealing failed; pending entries stay pending and are sealed on the next try: ${(error as Error).message}`);
      }
    };
    const sealTimer =
      sealSeconds > 0
        ? setInterval(() => {
            sealing ??= sealOnce().finally(() => {
              sealing = null;
            });
          }, sealSeconds * 1000)
        : null;
    log(sealTimer ? `sealing pending entries every ${sealSeconds} s; Ctrl-C stops` : "the sealing timer is off (SEAL_INTERVAL_SECONDS=0); Ctrl-C stops");

    const signal = await new Promise<string>((resolve) => {
      process.once("SIGINT", () => resolve("SIGINT"));
      process.once("SIGTERM", () => resolve("SIGTERM"));
    });
    log(`${signal}: finishing the seal and anchoring pass in progress, then stopping …`);
    if (sealTimer) clearInterval(sealTimer);
    await sealing;
    await services.stop();
    await runtime.handle.close();
    log("stopped");
    return 0;
  },
};
