/**
 * The watchdog stands outside the ledger: its modules reach the ledger only through the public
 * HTTP API and the chain. This follows every relative import from lib/watchdog and fails if one
 * leads to the database layer, the ledger's internals or the server runtime.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { importsOf, resolveImport } from "../support/imports";

const root = process.cwd();
const FORBIDDEN = ["db/", "lib/ledger/", "lib/server/"].map((p) => path.join(root, p));

/** Every module `entry` reaches through relative imports, with the chain of files that leads to it. */
function reachable(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const source = readFileSync(file, "utf8");
    for (const { specifier } of importsOf(source)) {
      const target = resolveImport(file, specifier);
      if (!target || seen.has(target)) continue;
      seen.set(target, [...seen.get(file)!, target]);
      queue.push(target);
    }
  }
  return seen;
}

describe("the watchdog's boundaries", () => {
  const dir = path.join(root, "lib", "watchdog");
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".ts"))) {
    it(`lib/watchdog/${name} reaches neither the database, nor lib/ledger, nor the server runtime`, () => {
      for (const [file, chain] of reachable(path.join(dir, name))) {
        const bad = FORBIDDEN.find((prefix) => file.startsWith(prefix));
        assert.equal(bad, undefined, `lib/watchdog/${name} imports ${chain.map((f) => path.relative(root, f)).join(" → ")}`);
      }
    });
  }
});
