/**
 * The control socket between the `sealbook` CLI and a running `npm start` that holds the embedded
 * database. It lives in SEALBOOK_DATA_DIR/control/, a folder only its owner may enter (0700): the
 * Unix socket `cli.sock` (0600) and `token` (0600), a random secret the server writes at each start
 * and every request must carry. Node cannot read a Unix socket's peer credentials, so these file
 * modes are what keeps other users out.
 *
 * One request per connection, as JSON lines: the CLI sends
 *   {"v":1,"token":"…","operation":"status","params":{…}}
 * and the server answers with any number of {"progress": …} lines, then one
 *   {"result": …}   or   {"error": {"message": "…", "exitCode": 2}}
 * and closes the connection.
 */
import path from "node:path";
import { z } from "zod";

export const CONTROL_PROTOCOL_VERSION = 1;
/** A request holds at most a JWK, a label and a password: 1 MiB is plenty. */
export const MAX_LINE_BYTES = 1 << 20;

export const controlRequestSchema = z.object({
  v: z.literal(CONTROL_PROTOCOL_VERSION),
  token: z.string(),
  operation: z.string(),
  params: z.unknown(),
});
export type ControlRequest = z.infer<typeof controlRequestSchema>;

export const controlAnswerSchema = z.union([
  z.object({ progress: z.unknown() }),
  z.object({ result: z.unknown() }),
  z.object({ error: z.object({ message: z.string(), exitCode: z.number().int() }) }),
]);
export type ControlAnswer = z.infer<typeof controlAnswerSchema>;

/** Where the control socket and its token live for a data directory. */
export function controlPaths(dataDir: string): { dir: string; socket: string; token: string } {
  const dir = path.resolve(dataDir, "control");
  return { dir, socket: socketAddress(path.join(dir, "cli.sock")), token: path.join(dir, "token") };
}

/**
 * A Unix socket path may hold about 100 bytes; a deep data directory gets its socket addressed
 * relative to the working directory instead (both sides resolve SEALBOOK_DATA_DIR from theirs).
 */
function socketAddress(absolute: string): string {
  if (Buffer.byteLength(absolute) <= 100) return absolute;
  const relative = path.relative(process.cwd(), absolute);
  return Buffer.byteLength(relative) < Buffer.byteLength(absolute) ? relative : absolute;
}

/** Splits a stream of text into lines, calling `onLine` for each; refuses a line over MAX_LINE_BYTES. */
export function lineReader(onLine: (line: string) => void, onTooLong: () => void): (chunk: Buffer) => void {
  let buffered = "";
  return (chunk) => {
    buffered += chunk.toString("utf8");
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line.trim()) onLine(line);
    }
    if (buffered.length > MAX_LINE_BYTES) {
      buffered = "";
      onTooLong();
    }
  };
}
