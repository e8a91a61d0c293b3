/**
 * The house's map: imports only point down the layers below, and no module imports itself back
 * through others. Follows every relative and `@/` import (static, re-exports and dynamic) of every
 * module in lib/, db/, app/, components/ and scripts/, and fails naming the file and the import
 * that runs up, or the modules of a cycle. The README's "The parts" section tells the same map.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { importsOf, resolveImport } from "../support/imports";

const root = process.cwd();

/**
 * The layers, lowest first. A module may import its own layer and any layer below it; modules of
 * one layer (the peers on one line) may import each other. A path ending in "/" is a folder.
 */
export const LAYERS: readonly { name: string; paths: readonly string[] }[] = [
  { name: "protocol", paths: ["lib/protocol/"] },
  { name: "configuration and observability", paths: ["lib/config.ts", "lib/request-limits.ts", "lib/observability/"] },
  { name: "database", paths: ["db/"] },
  { name: "ledger", paths: ["lib/ledger/"] },
  { name: "chain", paths: ["lib/chain/"] },
  { name: "services", paths: ["lib/http/", "lib/portal/", "lib/watchdog/", "lib/admin/", "lib/openapi/", "lib/ops/"] },
  { name: "process wiring", paths: ["lib/server/"] },
  { name: "edges", paths: ["app/", "components/", "scripts/"] },
];

const SOURCE_FOLDERS = ["lib", "db", "app", "components", "scripts"];

/** The layer index of a file (relative to the repository, with "/"), or -1 when it has none. */
export function layerOf(file: string): number {
  return LAYERS.findIndex((layer) => layer.paths.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p)));
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** Every module of the house with the modules it imports (relative paths). */
function importGraph(): Map<string, { target: string; specifier: string; dynamic: boolean }[]> {
  const graph = new Map<string, { target: string; specifier: string; dynamic: boolean }[]>();
  for (const file of SOURCE_FOLDERS.flatMap((dir) => sourceFiles(path.join(root, dir)))) {
    const edges = importsOf(readFileSync(file, "utf8")).flatMap(({ specifier, dynamic }) => {
      const target = resolveImport(file, specifier);
      return target ? [{ target: rel(target), specifier, dynamic }] : [];
    });
    graph.set(rel(file), edges);
  }
  return graph;
}

function rel(file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}

/** The cycles of static imports (Tarjan's strongly connected components of more than one module, or a module importing itself). */
export function importCycles(graph: Map<string, { target: string; dynamic: boolean }[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const { target, dynamic } of graph.get(node) ?? []) {
      if (dynamic) continue; // a dynamic import loads on demand: it cannot leave a module half-initialised
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfImport = (graph.get(node) ?? []).some((e) => e.target === node && !e.dynamic);
      if (component.length > 1 || selfImport) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

describe("the layers of the house", () => {
  const graph = importGraph();

  it("place every module of lib/, db/, app/, components/ and scripts/ in a layer", () => {
    const unplaced = [...graph.keys()].filter((file) => layerOf(file) < 0);
    assert.deepEqual(unplaced, [], `modules in no layer (add them to LAYERS in test/project/layers.test.ts and to the README's map): ${unplaced.join(", ")}`);
  });

  it("let every import point down or sideways, never up", () => {
    const upward: string[] = [];
    for (const [file, edges] of graph) {
      const from = layerOf(file);
      for (const { target, specifier } of edges) {
        const to = layerOf(target);
        if (to > from) upward.push(`${file} (${LAYERS[from].name}) imports "${specifier}" = ${target} (${LAYERS[to].name})`);
      }
    }
    assert.deepEqual(upward, [], `imports that run up the layers:\n${upward.join("\n")}`);
  });

  it("have no import cycles", () => {
    const cycles = importCycles(graph);
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.map((c) => c.join(" ⇄ ")).join("\n")}`);
  });

  it("are checked by a reader that sees imports and ignores examples in comments", () => {
    const source = [
      'import { a } from "./a";',
      'import type { B } from "../b";',
      'export { c } from "@/lib/c";',
      'import "./side-effect";',
      "// import { d } from \"./commented\";",
      '/** import { e } from "./in-a-doc-comment"; */',
      'const f = await import("./lazy");',
    ].join("\n");
    assert.deepEqual(importsOf(source), [
      { specifier: "./a", dynamic: false },
      { specifier: "../b", dynamic: false },
      { specifier: "@/lib/c", dynamic: false },
      { specifier: "./lazy", dynamic: true },
      { specifier: "./side-effect", dynamic: false },
    ]);
  });

  it("find a cycle and a wrong-way import in a made-up graph", () => {
    const made = new Map([
      ["lib/ledger/a.ts", [{ target: "lib/ledger/b.ts", dynamic: false }]],
      ["lib/ledger/b.ts", [{ target: "lib/ledger/a.ts", dynamic: false }]],
      ["lib/ledger/c.ts", [{ target: "lib/ledger/a.ts", dynamic: true }]],
    ]);
    assert.deepEqual(importCycles(made), [["lib/ledger/a.ts", "lib/ledger/b.ts"]]);
    assert.ok(layerOf("lib/server/runtime.ts") > layerOf("lib/ledger/health.ts"), "the process wiring sits above the ledger");
    assert.ok(layerOf("app/page.tsx") > layerOf("lib/server/runtime.ts"));
    assert.equal(layerOf("lib/portal/x.ts"), layerOf("lib/admin/y.ts"), "the services are peers");
  });
});
