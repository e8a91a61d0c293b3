/**
 * Reads the imports of a TypeScript module, for the tests of the house's layers
 * (test/project/layers.test.ts) and of the watchdog's boundaries (test/watchdog/boundaries.test.ts).
 */
import { existsSync } from "node:fs";
import path from "node:path";

const root = process.cwd();

/** The module file `specifier` names from `from` (relative or `@/`), or null for a package, JSON or asset. */
export function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith(".") && !specifier.startsWith("@/")) return null;
  const base = specifier.startsWith("@/") ? path.join(root, specifier.slice(2)) : path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")]) {
    if (existsSync(candidate) && /\.tsx?$/.test(candidate)) return candidate;
  }
  return null; // a JSON file, a stylesheet, an asset: not a module of the house
}

/** The modules a file imports: its import and export declarations, and its dynamic imports. */
export function importsOf(source: string): { specifier: string; dynamic: boolean }[] {
  const found: { specifier: string; dynamic: boolean }[] = [];
  // Comments are blanked first, so that an example in a comment is not taken for an import.
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  for (const [, from, dynamic] of code.matchAll(/(?:^|[;\n])\s*(?:import|export)\s[^"';]*?from\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
    if (from) found.push({ specifier: from, dynamic: false });
    if (dynamic) found.push({ specifier: dynamic, dynamic: true });
  }
  for (const [, bare] of code.matchAll(/(?:^|[;\n])\s*import\s+["']([^"']+)["']/g)) found.push({ specifier: bare, dynamic: false });
  return found;
}
