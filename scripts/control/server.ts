/**
 * The server's end of the control socket (./protocol.ts): while `npm start` holds the embedded
 * database, it runs the CLI's ledger operations (./operations.ts) on its own open database.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { ProtocolError } from "../../lib/protocol/errors";
import type { Runtime } from "../../lib/server/runtime";
import { CliError, throttle } from "../cli-kit";
import { isOperationName, runOperation } from "./operations";
import { controlPaths, controlRequestSchema, lineReader, type ControlAnswer } from "./protocol";

export interface ControlServer {
  /** The socket's address, for messages. */
  socket: string;
  close(): Promise<void>;
}

/**
 * Serves the control socket in the data directory of an embedded runtime; returns null for
 * PostgreSQL or an in-memory database, which the CLI opens itself. Requires that this process
 * holds the data directory's lock (so a socket left there is a dead server's, and is replaced).
 */
export async function startControlServer(runtime: Runtime, log: (line: string) => void): Promise<ControlServer | null> {
  if (runtime.handle.driver !== "pglite" || runtime.handle.location === "memory://") return null;
  const paths = controlPaths(runtime.config.SEALBOOK_DATA_DIR);
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  chmodSync(paths.dir, 0o700);
  const token = randomBytes(32).toString("base64url");
  const tempToken = `${paths.token}.${process.pid}`;
  writeFileSync(tempToken, token, { mode: 0o600 });
  renameSync(tempToken, paths.token);
  rmSync(paths.socket, { force: true });

  const expected = Buffer.from(token);
  const server = createServer((socket) => serveConnection(socket, runtime, expected, log));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(paths.socket, () => {
      server.off("error", reject);
      resolve();
    });
  });
  chmodSync(paths.socket, 0o600);
  const removeFiles = () => {
    rmSync(paths.socket, { force: true });
    rmSync(paths.token, { force: true });
  };
  process.once("exit", removeFiles);
  return {
    socket: paths.socket,
    close: () => closeServer(server).finally(removeFiles),
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function serveConnection(socket: Socket, runtime: Runtime, expectedToken: Buffer, log: (line: string) => void): void {
  let answered = false;
  const send = (answer: ControlAnswer) => {
    if (!socket.writable) return;
    socket.write(`${JSON.stringify(answer)}\n`);
  };
  const finish = (answer: ControlAnswer) => {
    send(answer);
    socket.end();
  };
  socket.on("error", () => {}); // the CLI went away (Ctrl-C): nothing to answer
  socket.on(
    "data",
    lineReader(
      (line) => {
        if (answered) return;
        answered = true;
        void answerRequest(line, runtime, expectedToken, send, log).then(finish);
      },
      () => finish({ error: { message: "The request is too long.", exitCode: 2 } }),
    ),
  );
}

async function answerRequest(
  line: string,
  runtime: Runtime,
  expectedToken: Buffer,
  send: (answer: ControlAnswer) => void,
  log: (line: string) => void,
): Promise<ControlAnswer> {
  let request;
  try {
    request = controlRequestSchema.parse(JSON.parse(line));
  } catch {
    return { error: { message: "The server could not read the request: is this sealbook CLI of the same version as the running server?", exitCode: 2 } };
  }
  const given = Buffer.from(request.token);
  if (given.length !== expectedToken.length || !timingSafeEqual(given, expectedToken)) {
    return { error: { message: "The control token does not match the running server's; the server was restarted, or this is not its data directory.", exitCode: 2 } };
  }
  if (!isOperationName(request.operation)) return { error: { message: `The running server has no operation "${request.operation}".`, exitCode: 2 } };
  try {
    // The CLI throttles what it shows anyway; a long audit need not send a line per page.
    const sendProgress = throttle<unknown>(100, (progress) => send({ progress }));
    const result = await runOperation(runtime, request.operation, request.params, (progress) => sendProgress(progress));
    log(`control socket: ran \`sealbook ${request.operation}\` for the CLI`);
    return { result };
  } catch (error) {
    if (error instanceof CliError) return { error: { message: error.message, exitCode: error.exitCode } };
    if (error instanceof ProtocolError) return { error: { message: error.message, exitCode: 2 } };
    console.error(`[sealbook] control socket: \`sealbook ${request.operation}\` failed`, error);
    return { error: { message: `The running server could not run it: ${error instanceof Error ? error.message : String(error)} (its console has the details).`, exitCode: 1 } };
  }
}
