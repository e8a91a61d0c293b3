/**
 * Reading and writing backup files: gzip-compressed JSON lines (see backup-format.ts), streamed both
 * ways so that a ledger of any size goes through in bounded memory.
 */
import { createReadStream, createWriteStream, renameSync, rmSync } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { createGunzip, createGzip } from "node:zlib";
import { BackupFormatError, parseBackupLine, type BackupLine } from "./backup-format";

/** Where backup lines go, one at a time; `close` finishes the file. */
export interface BackupSink {
  write(line: BackupLine): Promise<void>;
}

/**
 * Opens `path` for a backup: lines are gzip-compressed into `path.partial`, which becomes `path`
 * only on `commit`, so a failed backup never leaves a file that looks whole.
 */
export function openBackupFile(path: string): BackupSink & { commit(): Promise<void>; abort(): Promise<void>; bytesWritten(): number } {
  const partial = `${path}.partial`;
  const gzip = createGzip({ level: 6 });
  const file = createWriteStream(partial);
  gzip.pipe(file);
  let failure: Error | null = null;
  for (const stream of [gzip, file]) stream.on("error", (error: Error) => (failure ??= error));
  const finished = once(file, "close");
  return {
    async write(line) {
      if (failure) throw failure;
      if (!gzip.write(`${JSON.stringify(line)}\n`)) await once(gzip, "drain");
    },
    async commit() {
      gzip.end();
      await finished;
      if (failure) throw failure;
      renameSync(partial, path);
    },
    async abort() {
      gzip.destroy();
      file.destroy();
      rmSync(partial, { force: true });
    },
    bytesWritten: () => file.bytesWritten,
  };
}

/**
 * Reads the lines of a backup file, parsed and checked against the format, in order.
 * Throws BackupFormatError for a file that is not a gzip'd backup or has a malformed line.
 */
export async function* readBackupFile(path: string): AsyncGenerator<BackupLine> {
  const gunzip = createGunzip();
  const input = createReadStream(path);
  let failure: Error | null = null;
  input.on("error", (error) => {
    failure = error;
    gunzip.destroy(error);
  });
  input.pipe(gunzip);
  const lines = createInterface({ input: gunzip, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const text of lines) {
      n++;
      if (text.length === 0) continue;
      yield parseBackupLine(text, n);
    }
  } catch (error) {
    if (error instanceof BackupFormatError) throw error;
    const cause = failure ?? (error as Error);
    throw new BackupFormatError(`Cannot read the backup ${path} after line ${n}: ${cause.message}. Is it a Sealbook backup (gzip'd JSON lines)?`);
  } finally {
    lines.close();
    input.destroy();
  }
}
