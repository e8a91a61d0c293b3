/**
 * The process logger (pino). `LOG_FORMAT=json` writes one JSON object per line, with `time` (ISO
 * 8601), `level` (a word: info, warn, …) and `message`, which Elastic, Datadog and Google Cloud
 * Logging read as they are; `pretty` (the default) writes the same events as short lines for
 * people (./pretty.ts). Every string, field and error passes through a redactor first: fields
 * named like secrets are dropped to `[redacted]`, and the configured secrets (private keys,
 * tokens, URL passwords and API keys) are blanked wherever they appear.
 *
 * Pure enough for every layer: it imports pino and ./redact only, and keeps the process's logger
 * on `globalThis`, so that the copy Next.js bundles logs through the logger `npm start` set up.
 */
import pino, { type Logger } from "pino";
import { redactorForEnv } from "./env-secrets";
import { prettyDestination } from "./pretty";
import { isSecretField, maskUrlPasswords, REDACTED } from "./redact";

export type { Logger } from "pino";
export type LogFormat = "pretty" | "json";
export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface LoggerOptions {
  format: LogFormat;
  level: LogLevel;
  /** Blanks secrets out of a text (see `redactorForEnv`); applied to every string logged. */
  redact?: (text: string) => string;
  /** Where lines go (default standard output); tests pass a collector. */
  destination?: { write(text: string): unknown };
}

/** Creates a logger; see the module comment for what it writes and what it hides. */
export function createLogger(options: LoggerOptions): Logger {
  const redact = options.redact ?? ((text: string) => text);
  const scrub = (text: string) => maskUrlPasswords(redact(text));
  const out = options.destination ?? process.stdout;
  const destination = options.format === "json" ? { write: (line: string) => void out.write(line) } : prettyDestination(out);
  return pino(
    {
      level: options.level,
      messageKey: "message",
      base: { service: "sealbook" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (fields) => cleanFields(fields, scrub) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const cleaned = args.map((arg) => (typeof arg === "string" ? scrub(arg) : arg));
          return method.apply(this, cleaned as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/** A copy of a log event's fields that is safe to print: secret-named fields hidden, strings scrubbed, errors flattened. */
function cleanFields(value: unknown, scrub: (text: string) => string, depth = 0): unknown {
  if (typeof value === "string") return scrub(value);
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object") return value;
  if (depth > 6) return "[nested too deep]";
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    const cause = (value as { cause?: unknown }).cause;
    return {
      type: value.name,
      message: scrub(value.message),
      ...(code !== undefined ? { code: String(code) } : {}),
      ...(value.stack ? { stack: scrub(value.stack) } : {}),
      ...(cause !== undefined ? { cause: cleanFields(cause, scrub, depth + 1) } : {}),
    };
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `(${value.byteLength} bytes)`;
  if (Array.isArray(value)) return value.map((item) => cleanFields(item, scrub, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = isSecretField(key) && item !== undefined && item !== null ? REDACTED : cleanFields(item, scrub, depth + 1);
  return out;
}

const LOGGER_KEY = Symbol.for("sealbook.logger");
type LoggerGlobal = typeof globalThis & { [LOGGER_KEY]?: Logger };

/**
 * The process's logger: the one `installLogger` set, or else one made from the environment
 * (LOG_FORMAT, LOG_LEVEL, and every secret it holds), so code that runs before or without
 * `npm start` logs the same way.
 */
export function logger(): Logger {
  const g = globalThis as LoggerGlobal;
  g[LOGGER_KEY] ??= loggerForEnv(process.env);
  return g[LOGGER_KEY];
}

/** Makes `log` the process's logger. */
export function installLogger(log: Logger): void {
  (globalThis as LoggerGlobal)[LOGGER_KEY] = log;
}

/** A logger configured by LOG_FORMAT and LOG_LEVEL in `env` (unknown values fall back to pretty and info), hiding the secrets `env` holds. */
export function loggerForEnv(env: Record<string, string | undefined>, destination?: LoggerOptions["destination"]): Logger {
  const format: LogFormat = env.LOG_FORMAT === "json" ? "json" : "pretty";
  const levels: LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
  const level = levels.find((l) => l === env.LOG_LEVEL) ?? "info";
  return createLogger({ format, level, redact: redactorForEnv(env), destination });
}
