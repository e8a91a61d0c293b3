import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseState, type MonitorState } from "./state";

/**
 * Reads the monitor state from `file`; null when the file does not exist yet.
 * Throws an Error naming the file when it cannot be read or is not a state.
 */
export async function loadStateFile(file: string): Promise<MonitorState | null> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new Error(`Cannot read the state file ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return parseState(JSON.parse(text));
  } catch (error) {
    throw new Error(`The state file ${file} is not usable: ${(error as Error).message} Move it away to start afresh (the blocks it remembers will be verified again, without the comparison with the past).`, { cause: error });
  }
}

/** Writes the state to `file` atomically (a temporary file beside it, then a rename), so a crash never leaves half a file. */
export async function saveStateFile(file: string, state: MonitorState): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(state, null, 1)}\n`);
  await rename(temporary, file);
}
