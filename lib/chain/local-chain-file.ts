import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { getAddress, isAddress, type Address, type Hash } from "viem";

/** What `npm start` remembers about the registry it deployed on its embedded chain (SEALBOOK_DATA_DIR/chain.json). */
export interface LocalChainRecord {
  chainId: number;
  registry: Address;
  genesisRoot: Hash;
  deployTx: Hash;
  deployBlock: number;
  deployedAt: string;
}

/** Where the embedded chain's registry is remembered. */
export function localChainFile(dataDir: string): string {
  return path.join(dataDir, "chain.json");
}

/**
 * Reads chain.json from `dataDir`; null when there is none. Throws an Error naming the file when it
 * exists but is not a record this code wrote.
 */
export async function readLocalChainRecord(dataDir: string): Promise<LocalChainRecord | null> {
  const file = localChainFile(dataDir);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let parsed: Partial<LocalChainRecord>;
  try {
    parsed = JSON.parse(text) as Partial<LocalChainRecord>;
  } catch (error) {
    throw new Error(`${file} is not valid JSON; delete it and the embedded chain's registry is deployed again.`, { cause: error });
  }
  if (typeof parsed.chainId !== "number" || typeof parsed.registry !== "string" || !isAddress(parsed.registry)) {
    throw new Error(`${file} has no chainId or registry address; delete it and the embedded chain's registry is deployed again.`);
  }
  return { ...(parsed as LocalChainRecord), registry: getAddress(parsed.registry) };
}

/** Writes chain.json atomically (a crash leaves the old file or the new one, never half of it). */
export async function writeLocalChainRecord(dataDir: string, record: LocalChainRecord): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = localChainFile(dataDir);
  await writeFile(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
}
