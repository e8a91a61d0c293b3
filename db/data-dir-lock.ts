import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Takes the lock file beside a PGlite data directory, so that a second process cannot open the same
 * directory (PGlite would corrupt it). A lock left by a process that has died is taken over.
 * Returns the release function. Throws an error naming the holding process otherwise.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = lockFileOf(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(lockFile, { force: true });
      };
      process.once("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = dataDirLockHolder(dataDir);
      if (holder !== null) {
        throw new Error(
          `The embedded database in ${dataDir} is open in another process (pid ${holder}), and PGlite allows one process per data directory. ` +
            `While \`npm start\` runs, the sealbook commands status, seal, audit, signer and admin are answered by it; for anything else ` +
            `stop that process first, or use the HTTP API, or set DATABASE_URL to use PostgreSQL.`,
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not take the lock for ${dataDir}.`);
}

/** The id of another live process holding the lock of `dataDir`, or null when nobody else does. */
export function dataDirLockHolder(dataDir: string): number | null {
  let holder: number;
  try {
    holder = Number(readFileSync(lockFileOf(dataDir), "utf8").trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  return holder && holder !== process.pid && isAlive(holder) ? holder : null;
}

function lockFileOf(dataDir: string): string {
  return path.join(path.dirname(path.resolve(dataDir)), `${path.basename(dataDir)}.lock`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
