import { problemOf } from "../../http/problem";
import { ProtocolError } from "../../protocol/errors";
import { logger } from "../../observability/logger";

/**
 * One line of a job's progress stream (NDJSON): progress lines while it runs, then exactly one
 * `result` or `error` line.
 */
export type JobEvent =
  | { type: "progress"; at: string; message: string; data?: Record<string, unknown> }
  | { type: "result"; at: string; result: unknown }
  | { type: "error"; at: string; code: string; message: string };

/** Reports a progress line; `data` carries figures a client may draw (done/total). */
export type ProgressReporter = (message: string, data?: Record<string, unknown>) => void;

/** A failure of a job, as its stream tells it: the code and a message safe to show an admin. */
export type ExplainedFailure = { code: string; message: string };

function defaultExplain(error: unknown): ExplainedFailure | null {
  if (error instanceof ProtocolError) return { code: error.code, message: problemOf(error).detail };
  return null;
}

/**
 * Runs a job and answers at once with its progress as a stream of NDJSON lines (JobEvent), ending
 * with its result or its failure. The job runs to its end even if the client goes away; `finished`
 * runs either way (the admin log entry), before the last line is sent. Errors that `explain` does not recognise are
 * logged and told as "internal" without their details.
 */
export function streamJob<T>(
  run: (progress: ProgressReporter) => Promise<T>,
  options: {
    serialize?: (result: T) => unknown;
    explain?: (error: unknown) => ExplainedFailure | null;
    finished?: (outcome: { ok: true; result: T } | { ok: false; failure: ExplainedFailure }) => Promise<void>;
  } = {},
): Response {
  const encoder = new TextEncoder();
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: JobEvent) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(`${JSON.stringify(event)}\n`));
        } catch {
          open = false; // The client went away; the job carries on.
        }
      };
      const close = () => {
        if (!open) return;
        open = false;
        controller.close();
      };
      const progress: ProgressReporter = (message, data) => send({ type: "progress", at: new Date().toISOString(), message, ...(data ? { data } : {}) });
      void (async () => {
        let outcome: { ok: true; result: T } | { ok: false; failure: ExplainedFailure };
        try {
          outcome = { ok: true, result: await run(progress) };
        } catch (error) {
          let failure = (options.explain ?? defaultExplain)(error) ?? defaultExplain(error);
          if (!failure) {
            logger().error({ err: error }, "an admin job failed");
            failure = { code: "internal", message: "The job failed on the server; its log has the details. Nothing half-done is kept: try again." };
          }
          outcome = { ok: false, failure };
        }
        // The admin log entry is written before the client hears the end, so that it is there when it looks.
        await options.finished?.(outcome).catch((error: unknown) => logger().error({ err: error }, "could not write the admin log entry of a job"));
        const at = new Date().toISOString();
        if (outcome.ok) send({ type: "result", at, result: options.serialize ? options.serialize(outcome.result) : outcome.result });
        else send({ type: "error", at, ...outcome.failure });
        close();
      })();
    },
    cancel() {
      open = false;
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store, no-transform", "x-accel-buffering": "no" },
  });
}
