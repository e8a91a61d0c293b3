/**
 * The CLI's end of the control socket (./protocol.ts), and the choice between it and the database.
 */
import { readFileSync, statSync } from "node:fs";
import { connect } from "node:net";
import { dataDirLockHolder } from "../../db/data-dir-lock";
import { readConfig } from "../../lib/config";
import { ProtocolError } from "../../lib/protocol/errors";
import { CliError } from "../cli-kit";
import type { OperationName, OperationParams, OperationResult, ReportProgress } from "./operations";
import { CONTROL_PROTOCOL_VERSION, controlAnswerSchema, controlPaths, lineReader } from "./protocol";

/**
 * Runs ledger operation `name` (./operations.ts) where the ledger is: in the running `npm start`
 * when it holds the embedded database and serves its control socket, otherwise in this process.
 * Either way a refused change is a CliError (exit 2) with the ledger's message.
 */
export async function ledgerOperation<N extends OperationName>(name: N, params: OperationParams<N>, progress: ReportProgress = () => {}): Promise<OperationResult<N>> {
  const config = readConfig();
  const server = config.DATABASE_URL ? null : runningServer(config.SEALBOOK_DATA_DIR, config.pgliteDir);
  if (server) return (await callControlServer(server, name, params, progress)) as OperationResult<N>;
  const [{ runOperation }, { withLedger }] = await Promise.all([import("./operations"), import("../commands/with-ledger")]);
  return withLedger((_ledger, runtime) => runOperation(runtime, name, params, progress)).catch((error: unknown) => {
    if (error instanceof ProtocolError) throw new CliError(error.message);
    throw error;
  });
}

/** The control socket of the live server holding `pgliteDir`, or null when no server holds it (or it serves no socket). */
function runningServer(dataDir: string, pgliteDir: string): { socket: string; token: string } | null {
  if (dataDirLockHolder(pgliteDir) === null) return null;
  const paths = controlPaths(dataDir);
  let socket;
  try {
    socket = statSync(paths.socket);
  } catch {
    return null; // an older server, or one still starting: opening the database says who holds it
  }
  // Our password and our changes go only to a server of our own user.
  if (process.getuid && socket.uid !== process.getuid()) {
    throw new CliError(`The control socket ${paths.socket} belongs to another user (uid ${socket.uid}); refusing to use it.`, 1);
  }
  let token: string;
  try {
    token = readFileSync(paths.token, "utf8").trim();
  } catch (error) {
    throw new CliError(`The server holding ${pgliteDir} runs, but its control token cannot be read (${(error as Error).message}); run the CLI as the user who runs the server.`, 1);
  }
  return { socket: paths.socket, token };
}

/** Sends one request over the control socket; resolves with the server's result, calling `progress` for each progress line. */
export function callControlServer(server: { socket: string; token: string }, operation: OperationName, params: unknown, progress: ReportProgress): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.socket);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      fn();
    };
    socket.once("connect", () => socket.write(`${JSON.stringify({ v: CONTROL_PROTOCOL_VERSION, token: server.token, operation, params })}\n`));
    socket.on(
      "data",
      lineReader(
        (line) => {
          const parsed = controlAnswerSchema.safeParse(safeJson(line));
          if (!parsed.success) return settle(() => reject(new CliError(`The running server sent an answer this CLI cannot read: ${line.slice(0, 200)}`, 1)));
          const answer = parsed.data;
          if ("progress" in answer) progress(answer.progress);
          else if ("result" in answer) settle(() => resolve(answer.result));
          else settle(() => reject(new CliError(answer.error.message, answer.error.exitCode)));
        },
        () => settle(() => reject(new CliError("The running server's answer is too long.", 1))),
      ),
    );
    socket.once("error", (error) => settle(() => reject(new CliError(`Cannot reach the running server on ${server.socket}: ${error.message}`, 1))));
    socket.once("close", () => settle(() => reject(new CliError("The running server closed the connection without an answer (did it stop?).", 1))));
  });
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
