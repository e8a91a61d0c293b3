/**
 * The portal's public pages read the ledger only through the replica-aware reads
 * (lib/portal/page-reads.ts, lib/ledger/replica-reads.ts): a page that called a ledger read with the
 * primary's context would quietly bypass DATABASE_READ_URL. The console (app/admin) and the API
 * routes (app/api) are left out: the console stays on the primary, the API has its own reads.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";

const APP = join(import.meta.dirname, "..", "..", "app");

/** Modules (or folders of modules) whose functions take a ledger context: a public page must not call them itself. */
const DIRECT_READS = ["@/lib/ledger/reads", "@/lib/ledger/activity", "@/lib/ledger/signers", "@/lib/ledger/proofs", "@/lib/portal/search", "@/lib/portal/chain-settings"];

function publicPageFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "api" || entry.name === "admin" ? [] : publicPageFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

/** The value imports (not `import type`) of `source` that name one of DIRECT_READS, and its calls of getLedger(). */
function bypasses(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(/^import\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gm)) {
    if (DIRECT_READS.some((read) => match[1] === read || match[1].startsWith(`${read}/`))) found.push(`imports ${match[1]}`);
  }
  if (/\bgetLedger\s*\(/.test(source)) found.push("calls getLedger()");
  return found;
}

describe("the public pages' reads", () => {
  it("go through the replica-aware page reads, never straight to a ledger read on the primary", () => {
    const files = publicPageFiles(APP);
    assert.ok(files.some((f) => f.endsWith("page.tsx")), `found no page under ${relative(process.cwd(), APP)}`);
    const offending = files.flatMap((file) => bypasses(readFileSync(file, "utf8")).map((what) => `${relative(APP, file)} ${what}`));
    assert.deepEqual(offending, []);
  });

  it("would catch a page that reads a block on the primary", () => {
    assert.deepEqual(bypasses(`import { getBlock } from "@/lib/ledger/reads";\nconst ledger = await getLedger();`), ["imports @/lib/ledger/reads", "calls getLedger()"]);
    assert.deepEqual(bypasses(`import type { BlockSummary } from "@/lib/ledger/reads";`), []);
  });
});
