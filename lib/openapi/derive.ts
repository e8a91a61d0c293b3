/**
 * Derives the OpenAPI component schemas from the protocol's zod schemas (lib/protocol/wire), so
 * that the document and the code that reads and writes the bodies cannot drift apart.
 */
import { z } from "zod";
import type { SchemaObject } from "./types";

type Json = Record<string, unknown>;

const COMPONENTS = "#/components/schemas/";

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const isEmptyObject = (value: unknown): boolean => isObject(value) && Object.keys(value).length === 0;

/**
 * Rewrites what zod emits into the document's own conventions, which say the same with fewer
 * words: zod's implicit safe-integer bounds go (a JSON number has no such bound); `additionalProperties:
 * false` of a parsed output goes (the document never promised a closed object); so do the
 * no-op `additionalProperties: {}` and `propertyNames: {type: "string"}` of a record; a nullable
 * scalar is `type: [T, "null"]` and a nullable reference `oneOf: [ref, null]`; a number literal
 * that is a whole number is an `integer`.
 */
function toDocumentDialect(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toDocumentDialect);
  if (typeof node !== "object" || node === null) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) out[key] = toDocumentDialect(value);
  if (out.maximum === Number.MAX_SAFE_INTEGER) delete out.maximum;
  if (out.minimum === Number.MIN_SAFE_INTEGER) delete out.minimum;
  if (out.additionalProperties === false) delete out.additionalProperties;
  if (isEmptyObject(out.additionalProperties)) delete out.additionalProperties;
  if (isObject(out.propertyNames) && out.propertyNames.type === "string" && Object.keys(out.propertyNames).length === 1) delete out.propertyNames;
  if (out.type === "number" && Number.isInteger(out.const)) out.type = "integer";
  const branches = out.anyOf as Json[] | undefined;
  if (branches?.length === 2 && branches[1].type === "null" && Object.keys(branches[1]).length === 1) {
    const [value] = branches;
    delete out.anyOf;
    if (typeof value.type === "string" && Object.keys(value).length === 1) out.type = [value.type, "null"];
    else out.oneOf = branches;
  }
  return out;
}

/**
 * The OpenAPI component schemas of `wireSchemas`, each named by the `id` in its metadata, as the
 * ledger sends them (the output side), with references between them as
 * `#/components/schemas/{id}`, in the document's conventions.
 * Throws when a schema has no `id`: it would have no name in the document.
 */
export function componentSchemas(wireSchemas: z.ZodType[]): Record<string, SchemaObject> {
  const ids = wireSchemas.map((schema) => {
    const id = z.globalRegistry.get(schema)?.id;
    if (!id) throw new Error(`A wire schema has no id in its metadata, so it has no name in the OpenAPI document: ${JSON.stringify(z.toJSONSchema(schema)).slice(0, 120)}. Give it .meta({ id }).`);
    return id;
  });
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io: "output", uri: (id) => `${COMPONENTS}${id}` });
  return Object.fromEntries(
    ids.map((id) => {
      const { $schema: _dialect, $id: _id, ...schema } = schemas[id];
      return [id, toDocumentDialect(schema) as SchemaObject];
    }),
  );
}

/**
 * One zod schema as JSON Schema on its own, everything inline, as a reader must send it (the
 * input side). No metadata registry is consulted, so no part is pulled out into `$defs`.
 */
export function inlineInputSchema(schema: z.ZodType): SchemaObject {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: "input", metadata: z.registry() }) as SchemaObject & { $schema?: string };
  return json;
}
