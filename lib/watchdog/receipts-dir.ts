import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { collectReceipts, type SignedReceipt } from "../protocol/receipt";

/**
 * Reads every `*.json` file in `dir` (not recursively) and collects the receipts in them: a
 * receipt, an API answer carrying one, a batch answer, or a list of these (see collectReceipts).
 * Files or items that are not receipts are listed in `problems`, by file name, and skipped.
 * Throws an Error naming the folder when it cannot be read.
 */
export async function readReceiptsDir(dir: string): Promise<{ receipts: SignedReceipt[]; problems: string[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".json")).sort();
  } catch (error) {
    throw new Error(`Cannot read the receipts folder ${dir}: ${(error as Error).message}`, { cause: error });
  }
  const receipts: SignedReceipt[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    let value: unknown;
    try {
      value = JSON.parse(await readFile(path.join(dir, name), "utf8"));
    } catch (error) {
      problems.push(`${name}: not JSON (${(error as Error).message})`);
      continue;
    }
    const found = collectReceipts(value);
    for (const invalid of found.invalid) problems.push(`${name}: ${invalid}`);
    if (found.receipts.length === 0 && found.invalid.length === 0) problems.push(`${name}: holds no receipt`);
    for (const receipt of found.receipts) {
      const key = JSON.stringify([receipt.domain, receipt.message, receipt.signer, receipt.signature]);
      if (seen.has(key)) continue;
      seen.add(key);
      receipts.push(receipt);
    }
  }
  return { receipts, problems };
}
