/**
 * The human log format: one short line per event, `HH:MM:SS [sealbook] message  key=value …`
 * (only the fields the message does not already say),
 * and an error's stack indented below it. Formatted in the process (no worker thread), from the
 * very JSON line the json format would have written, so both formats say the same.
 */

const HIDDEN = new Set(["time", "level", "message", "pid", "service", "err", "error"]);

/** Formats one JSON log line (as pino writes it) for people. */
export function formatPrettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const time = typeof entry.time === "string" ? entry.time.slice(11, 19) : "";
  const level = String(entry.level ?? "info");
  const tag = level === "info" ? "" : ` ${level.toUpperCase()}`;
  const message = String(entry.message ?? "");
  // A field whose value the message already says is left out here (the JSON format keeps every field).
  const fields = Object.entries(entry)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== undefined)
    .map(([key, value]) => [key, typeof value === "string" ? value : JSON.stringify(value)] as const)
    .filter(([, shown]) => !message.includes(shown))
    .map(([key, shown]) => `${key}=${shown}`);
  let line = `${time} [sealbook]${tag} ${message}${fields.length ? `  ${fields.join(" ")}` : ""}`;
  const error = (entry.err ?? entry.error) as { message?: string; stack?: string } | undefined;
  if (error) line += `\n    ${(error.stack ?? error.message ?? JSON.stringify(error)).split("\n").join("\n    ")}`;
  return `${line}\n`;
}

/** A pino destination that writes the human format to `out` (standard output by default), synchronously. */
export function prettyDestination(out: { write(text: string): unknown } = process.stdout): { write(line: string): void } {
  return { write: (line) => void out.write(formatPrettyLine(line.trimEnd())) };
}
