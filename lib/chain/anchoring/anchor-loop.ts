import { AnchorError, toAnchorError } from "./anchor-errors";
import { anchorSealedBlocks, type AnchorJob, type AnchorPassResult } from "./anchor-job";

export interface AnchorLoopOptions {
  /** Time between passes when all is well (ANCHOR_INTERVAL_SECONDS). */
  intervalMs: number;
  /** The first retry delay after a failed pass (default 1 s); doubled on every further failure. */
  minBackoffMs?: number;
  /** The longest retry delay (default 60 s, and never more than `intervalMs` when that is longer). */
  maxBackoffMs?: number;
  /** Operator log lines: failures, alarms, retries. The job's own progress goes to its `log`. */
  log?: (line: string) => void;
  /** Called after every pass that did not throw. */
  onPass?: (result: AnchorPassResult) => void;
}

/** What the loop last saw, for status pages. */
export interface AnchorLoopState {
  running: boolean;
  lastPassAt: Date | null;
  lastResult: AnchorPassResult | null;
  /** The error of the last pass, cleared by the next good one. */
  lastError: { code: AnchorError["code"]; message: string; at: Date } | null;
  consecutiveFailures: number;
  nextPassAt: Date | null;
}

/** A running anchoring loop. */
export interface AnchorLoop {
  readonly state: AnchorLoopState;
  /** Runs a pass now (or right after the one in progress). */
  kick(): void;
  /** Stops the timer and waits for the pass in progress to finish. */
  stop(): Promise<void>;
}

const LOOP_STATE_KEY = Symbol.for("sealbook.anchor-loop-state");

/** The state of the anchoring loop running in this process, or null when none runs. */
export function currentAnchorLoopState(): AnchorLoopState | null {
  return (globalThis as { [LOOP_STATE_KEY]?: AnchorLoopState })[LOOP_STATE_KEY] ?? null;
}

/**
 * Runs `anchorSealedBlocks` now and then every `intervalMs`. A failed pass is retried after a delay
 * that starts at `minBackoffMs` and doubles up to `maxBackoffMs` (RPC outages, a missing role, no
 * funds), and the error is kept in `state` for status pages. An alarm is logged once; passes go on
 * (they send nothing while it stands) so that `sealbook chain status` stays current.
 */
export function startAnchorLoop(job: AnchorJob, options: AnchorLoopOptions): AnchorLoop {
  const log = options.log ?? (() => {});
  const minBackoff = options.minBackoffMs ?? 1_000;
  const maxBackoff = Math.max(minBackoff, Math.min(options.maxBackoffMs ?? 60_000, Math.max(options.intervalMs, minBackoff)));
  const state: AnchorLoopState = { running: true, lastPassAt: null, lastResult: null, lastError: null, consecutiveFailures: 0, nextPassAt: null };
  (globalThis as { [LOOP_STATE_KEY]?: AnchorLoopState })[LOOP_STATE_KEY] = state;
  let timer: NodeJS.Timeout | null = null;
  let inProgress: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let alarmLogged: number | null = null;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    state.nextPassAt = new Date(Date.now() + ms);
    timer = setTimeout(() => void run(), ms);
  };

  const pass = async () => {
    try {
      const result = await anchorSealedBlocks(job);
      state.lastPassAt = new Date();
      state.lastResult = result;
      state.lastError = null;
      state.consecutiveFailures = 0;
      if (result.alarm && alarmLogged !== result.alarm.id) {
        alarmLogged = result.alarm.id;
        log(`anchoring stopped by an alarm (${result.alarm.kind}): ${result.alarm.message}`);
      }
      options.onPass?.(result);
      schedule(result.outcome === "waiting" || result.awaitingConfirmation > 0 ? Math.min(options.intervalMs, 5_000) : options.intervalMs);
    } catch (error) {
      const failure = toAnchorError(error, "Anchoring", job.redact, job.anchorer);
      state.lastPassAt = new Date();
      state.consecutiveFailures++;
      state.lastError = { code: failure.code, message: failure.message, at: new Date() };
      const delay = Math.min(maxBackoff, minBackoff * 2 ** Math.min(state.consecutiveFailures - 1, 20));
      log(`${failure.message} (failure ${state.consecutiveFailures}; next try in ${(delay / 1000).toFixed(1)} s)`);
      schedule(delay);
    }
  };

  const run = async () => {
    if (stopped) return;
    if (inProgress) {
      again = true;
      return;
    }
    inProgress = pass();
    await inProgress;
    inProgress = null;
    if (again && !stopped) {
      again = false;
      schedule(0);
    }
  };

  schedule(0);
  return {
    state,
    kick: () => schedule(0),
    stop: async () => {
      stopped = true;
      state.running = false;
      state.nextPassAt = null;
      if (timer) clearTimeout(timer);
      await inProgress;
    },
  };
}
