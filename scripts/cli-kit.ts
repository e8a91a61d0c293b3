import { parseArgs, type ParseArgsConfig } from "node:util";

/** A CLI failure with a message for the user and an exit code; printed without a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
  }
}

/** What `sealbook help` and argument parsing know of a command, without loading its code. */
export interface CommandSpec {
  /** e.g. "signer add". */
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
}

/** One `sealbook` command. */
export interface Command extends CommandSpec {
  run(args: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] }): Promise<number | void>;
}

/** Parses a command's arguments strictly; an unknown flag is a CliError that points to --help. */
export function parseCommandArgs(command: CommandSpec, argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { ...command.options, help: { type: "boolean", short: "h" } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`${(error as Error).message}\n\nUsage: ${command.usage}\nRun \`sealbook ${command.name} --help\` for details.`);
  }
}

/** Writes a progress line to stderr (overwritten in place on a terminal), so stdout stays clean for --json. */
export function progressLine(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
  else process.stderr.write(`${text}\n`);
}

/** Ends an in-place progress line. */
export function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write("\n");
}

/** Returns a throttled version of `fn` that runs at most every `ms` milliseconds (and always for `force`). */
export function throttle<T>(ms: number, fn: (value: T) => void): (value: T, force?: boolean) => void {
  let last = 0;
  return (value, force = false) => {
    const now = Date.now();
    if (!force && now - last < ms) return;
    last = now;
    fn(value);
  };
}
