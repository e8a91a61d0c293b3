import { useTranslations } from "next-intl";
import type { HttpMethod, OperationObject } from "@/lib/openapi/types";
import { SchemaType } from "./schema-type";

const METHOD_STYLE: Record<HttpMethod, string> = {
  get: "bg-blue-100 text-blue-900 border-blue-300",
  post: "bg-emerald-100 text-emerald-900 border-emerald-300",
};

/** One operation of the OpenAPI document: what it does, its parameters, body and answers. */
export function Operation({ path, method, operation }: { path: string; method: HttpMethod; operation: OperationObject }) {
  const t = useTranslations("apiDocs");
  return (
    <article id={operation.operationId} aria-labelledby={`${operation.operationId}-title`} className="min-w-0 scroll-mt-6 rounded-lg border border-slate-200 bg-white p-4 wrap-anywhere">
      <h3 id={`${operation.operationId}-title`} className="flex flex-wrap items-center gap-2 text-lg font-semibold">
        <span className={`rounded border px-2 py-0.5 font-mono text-sm uppercase ${METHOD_STYLE[method]}`}>{method}</span>
        <code className="hash">{path}</code>
      </h3>
      <p className="mt-1 font-medium" lang="en">
        {operation.summary}
      </p>
      <p className="mt-1 text-slate-700" lang="en">
        {operation.description}
      </p>

      {operation.parameters?.length ? (
        <>
          <h4 className="mt-4 font-semibold">{t("parameters")}</h4>
          <ul className="mt-1 space-y-1 text-sm">
            {operation.parameters.map((p) => (
              <li key={`${p.in}-${p.name}`}>
                <code className="font-mono font-semibold">{p.name}</code> <span className="text-slate-600">({p.in}{p.required ? `, ${t("required")}` : ""})</span>:{" "}
                <SchemaType schema={p.schema} />. {p.description}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {operation.requestBody ? (
        <>
          <h4 className="mt-4 font-semibold">{t("requestBody")}</h4>
          <p className="text-sm">{operation.requestBody.description}</p>
          <ul className="mt-1 space-y-1 text-sm">
            {Object.entries(operation.requestBody.content).map(([type, media]) => (
              <li key={type}>
                <code className="font-mono">{type}</code>: <SchemaType schema={media.schema} />
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h4 className="mt-4 font-semibold">{t("answers")}</h4>
      <dl className="mt-1 grid gap-x-3 gap-y-1 text-sm sm:grid-cols-[4rem_1fr]">
        {Object.entries(operation.responses).map(([status, response]) => (
          <div key={status} className="contents">
            <dt className="font-mono font-semibold">{status}</dt>
            <dd>
              {response.description}{" "}
              {response.content
                ? Object.entries(response.content).map(([type, media], i) => (
                    <span key={type} className="text-slate-700">
                      {i > 0 ? "; " : ""}
                      <code className="font-mono">{type}</code> <SchemaType schema={media.schema} />
                    </span>
                  ))
                : null}
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
