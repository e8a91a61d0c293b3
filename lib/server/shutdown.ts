/**
 * Graceful shutdown of `npm start`. On SIGTERM (or SIGINT): readiness turns 503, the server stops
 * accepting and lets the requests in flight finish (up to SHUTDOWN_GRACE_SECONDS), then the
 * background steps stop in order, each letting a pass in progress finish: a seal commits whole or,
 * cut off by the process exiting, rolls back whole (one transaction). Then the pool closes and the
 * process exits 0. A second SIGINT (Ctrl-C twice) exits at once.
 */
import { logger } from "../observability/logger";
import { setLifecycle } from "./readiness";
import type { SealbookServer } from "./serve";

/** One thing to stop, in order, after the requests drained: the seal loop, the chain services, Next.js, the database pool. */
export interface ShutdownStep {
  name: string;
  stop(): Promise<void> | void;
}

/**
 * Runs the shutdown once, on the first SIGTERM or SIGINT. Steps that do not end within what is
 * left of the grace period are abandoned (logged) and the process exits 1; otherwise 0.
 */
export function installGracefulShutdown(server: SealbookServer, graceSeconds: number, steps: () => ShutdownStep[]): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      if (signal === "SIGINT") {
        logger().warn("second SIGINT: exiting now");
        process.exit(1);
      }
      return;
    }
    stopping = true;
    void shutDown(server, graceSeconds, steps(), signal).then((code) => process.exit(code));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

/** The shutdown sequence; resolves with the exit code. Exported for tests. */
export async function shutDown(server: SealbookServer, graceSeconds: number, steps: ShutdownStep[], signal: string): Promise<number> {
  const log = logger();
  const deadline = Date.now() + graceSeconds * 1000;
  setLifecycle("stopping");
  log.info({ signal, graceSeconds }, `${signal}: stopping; requests in flight have ${graceSeconds} s to finish`);
  const { cut } = await server.drain(graceSeconds * 1000);
  if (cut > 0) log.warn({ cut }, `${cut} request(s) were still running after ${graceSeconds} s and were cut off`);
  else log.info("every request in flight was answered");
  let code = cut > 0 ? 1 : 0;
  for (const step of steps) {
    const left = Math.max(1_000, deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      Promise.resolve()
        .then(() => step.stop())
        .then(() => "done" as const, (error: unknown) => error),
      new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), left))),
    ]);
    clearTimeout(timer);
    if (outcome === "done") log.info({ step: step.name }, `stopped: ${step.name}`);
    else if (outcome === "late") {
      log.warn({ step: step.name }, `${step.name} did not stop within the grace period; exiting anyway (an unfinished seal or anchoring transaction rolls back)`);
      code = 1;
    } else {
      log.error({ err: outcome, step: step.name }, `${step.name} failed to stop cleanly`);
      code = 1;
    }
  }
  log.info({ exitCode: code }, "stopped");
  return code;
}
