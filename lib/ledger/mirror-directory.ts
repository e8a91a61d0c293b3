import { readFile } from "node:fs/promises";
import path from "node:path";
import type { MirrorReader } from "../protocol/mirror";

/** Reads the mirror files published in `dir` (SEALBOOK_PUBLISH_DIR, lib/ledger/publish.ts); a missing file is null. */
export function directoryMirrorReader(dir: string): MirrorReader {
  return async (relative) => {
    try {
      return new Uint8Array(await readFile(path.join(dir, ...relative.split("/"))));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
  };
}
