import { useTranslations } from "next-intl";
import type { SchemaObject } from "@/lib/openapi/types";

/** The name of a referenced schema: "#/components/schemas/Hash" → "Hash". */
export function refName(ref: string): string {
  return ref.split("/").at(-1) ?? ref;
}

/** A schema's type in a few words, with links to referenced schemas. */
export function SchemaType({ schema }: { schema: SchemaObject }) {
  const t = useTranslations("apiDocs");
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return (
      <a className="link font-mono" href={`#schema-${name}`}>
        {name}
      </a>
    );
  }
  if (schema.oneOf) {
    return (
      <>
        {schema.oneOf.map((option, i) => (
          <span key={i}>
            {i > 0 ? " or " : ""}
            <SchemaType schema={option} />
          </span>
        ))}
      </>
    );
  }
  if (schema.const !== undefined) return <code className="font-mono">{JSON.stringify(schema.const)}</code>;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ["any"];
  const words = types.map((t) => (t === "array" && schema.items ? null : t));
  return (
    <span className="font-mono">
      {words.map((word, i) => (
        <span key={i}>
          {i > 0 ? " or " : ""}
          {word ?? (
            <>
              {t("arrayOf")} <SchemaType schema={schema.items!} />
            </>
          )}
        </span>
      ))}
      {schema.enum ? <span className="font-sans text-slate-700"> ({t("oneOf")} {schema.enum.map((v) => JSON.stringify(v)).join(", ")})</span> : null}
      {schema.pattern ? <span className="font-sans text-slate-700"> matching {schema.pattern}</span> : null}
      {schema.format ? <span className="font-sans text-slate-700"> ({schema.format})</span> : null}
    </span>
  );
}

/** An object schema's properties as a table; other schemas as one line. */
export function SchemaProperties({ schema, caption }: { schema: SchemaObject; caption: string }) {
  const t = useTranslations("apiDocs");
  if (!schema.properties) {
    return (
      <p className="text-sm">
        <SchemaType schema={schema} />
      </p>
    );
  }
  return (
    <div className="overflow-x-auto" role="region" aria-label={caption} tabIndex={0}>
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-1 pr-3">
              {t("field")}
            </th>
            <th scope="col" className="py-1 pr-3">
              {t("type")}
            </th>
            <th scope="col" className="py-1">
              {t("meaning")}
            </th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(schema.properties).map(([name, property]) => (
            <tr key={name} className="border-b border-slate-100 align-top">
              <th scope="row" className="py-1 pr-3 font-mono font-normal">
                {name}
                {schema.required?.includes(name) ? "" : <span className="font-sans text-slate-600"> ({t("optional")})</span>}
              </th>
              <td className="py-1 pr-3">
                <SchemaType schema={property} />
              </td>
              <td className="py-1">
                {property.description ?? ""}
                {property.properties ? (
                  <div className="mt-1">
                    <SchemaProperties schema={property} caption={t("fieldsOf", { name })} />
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
