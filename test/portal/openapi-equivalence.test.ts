import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { openApiDocument } from "../../lib/openapi/document";

/**
 * The OpenAPI document is compared with the one the code served before its wire formats were
 * derived from zod (issue 13), in test/vectors/openapi-before.json. Two documents are equivalent
 * when they are equal after (1) every `$ref` (to `#/components/schemas/…` or to a local `$defs`)
 * is replaced by the schema it names, its sibling keywords laid over it, (2) `$defs` and
 * `$schema` are dropped once resolved, (3) `required` lists are sorted (they are sets), and (4)
 * object keys are sorted. Everything else counts: paths, methods, parameters, status codes, media
 * types, every schema keyword and pattern, and every description.
 */
type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (value: Json): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

function resolve(node: Json, components: JsonObject, defs: JsonObject, seen: string[]): Json {
  if (Array.isArray(node)) return node.map((item) => resolve(item, components, defs, seen));
  if (!isObject(node)) return node;
  const localDefs = isObject(node.$defs) ? { ...defs, ...node.$defs } : defs;
  const { $ref, $defs: _defs, $schema: _schema, ...rest } = node;
  const out: JsonObject = {};
  if (typeof $ref === "string") {
    assert.ok(!seen.includes($ref), `the schemas refer to themselves through ${seen.join(" → ")} → ${$ref}; the comparison cannot inline a cycle`);
    const [, table, name] = /^#\/(components\/schemas|\$defs)\/(.+)$/.exec($ref) ?? [];
    const target = table === "$defs" ? localDefs[name] : components[name];
    assert.ok(isObject(target), `the reference ${$ref} names no schema`);
    Object.assign(out, resolve(target, components, localDefs, [...seen, $ref]));
  }
  for (const [key, value] of Object.entries(rest)) out[key] = resolve(value, components, localDefs, seen);
  if (Array.isArray(out.required)) out.required = [...(out.required as string[])].sort();
  return out;
}

function sortKeys(node: Json): Json {
  if (Array.isArray(node)) return node.map(sortKeys);
  if (!isObject(node)) return node;
  return Object.fromEntries(Object.keys(node).sort().map((key) => [key, sortKeys(node[key])]));
}

/** The document as a client sees it, every reference inlined and every key in order. */
function normalise(document: JsonObject): Json {
  const components = (document.components as { schemas: JsonObject }).schemas;
  return sortKeys(resolve(document, components, {}, []));
}

describe("the OpenAPI document derived from the wire schemas", () => {
  const before = JSON.parse(readFileSync(path.join(process.cwd(), "test", "vectors", "openapi-before.json"), "utf8")) as JsonObject;
  const now = JSON.parse(JSON.stringify(openApiDocument)) as JsonObject;

  it("names the same component schemas as the document before the change", () => {
    assert.deepEqual(Object.keys((now.components as { schemas: JsonObject }).schemas).sort(), Object.keys((before.components as { schemas: JsonObject }).schemas).sort());
  });

  it("is equivalent to the document before the change: every path, operation, answer and schema, references inlined", () => {
    const expected = normalise(before) as JsonObject;
    const actual = normalise(now) as JsonObject;
    for (const name of Object.keys((expected.components as { schemas: JsonObject }).schemas)) {
      assert.deepEqual(
        (actual.components as { schemas: JsonObject }).schemas[name],
        (expected.components as { schemas: JsonObject }).schemas[name],
        `component schema ${name} differs from the document before the change`,
      );
    }
    assert.deepEqual(actual, expected);
  });

  it("finds a difference in a single pattern, so that the comparison is not blind", () => {
    const changed = JSON.parse(JSON.stringify(before)) as { components: { schemas: { Hash: { pattern: string } } } };
    changed.components.schemas.Hash.pattern = "^0x[0-9a-fA-F]{64}$";
    assert.notDeepEqual(normalise(changed as unknown as JsonObject), normalise(before));
  });
});
