import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Operation } from "@/components/api-docs/operation";
import { SchemaProperties } from "@/components/api-docs/schema-type";
import { PageIntro } from "@/components/ui/page-intro";
import { STATUS_OF } from "@/lib/http/problem";
import { openApiDocument } from "@/lib/openapi/document";
import type { HttpMethod } from "@/lib/openapi/types";
import { ERROR_CODES } from "@/lib/protocol/errors";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "apiDocs");
  return { title: t("metaTitle"), description: t("metaDescription") };
}

const METHODS: HttpMethod[] = ["get", "post"];

/** The API documentation, rendered on the server from the OpenAPI document. */
export default async function ApiDocsPage({ params }: Props) {
  const locale = await pageLocale(params);
  const t = await translator(locale, "apiDocs");
  const code = (chunks: ReactNode) => <code className="font-mono">{chunks}</code>;
  const doc = openApiDocument;
  const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => (item[method] ? [{ path, method, operation: item[method]! }] : [])),
  );
  return (
    <>
      <PageIntro title={t("title")}>
        {locale === "en" ? (
          <p>
            {doc.info.summary} {doc.info.description.split(". ")[0]}.
          </p>
        ) : (
          <p>{t("summary")}</p>
        )}
        <p className="text-base">
          {t.rich("generated", {
            link: (chunks) => (
              <a className="link" href="/api/v1/openapi.json">
                {chunks}
              </a>
            ),
          })}
        </p>
      </PageIntro>

      <nav aria-label={t("endpoints")} className="mb-8 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-semibold">{t("endpoints")}</h2>
        <ul className="mt-2 grid gap-1 text-sm sm:grid-cols-2">
          {operations.map(({ path, method, operation }) => (
            <li key={operation.operationId}>
              <a className="link" href={`#${operation.operationId}`}>
                <span className="font-mono uppercase">{method}</span> <span className="hash">{path}</span>
              </a>
              <span className="text-slate-700" lang="en"> {operation.summary}</span>
            </li>
          ))}
        </ul>
      </nav>

      {doc.tags.map((tag) => {
        const tagged = operations.filter((o) => o.operation.tags.includes(tag.name));
        if (tagged.length === 0) return null;
        return (
          <section key={tag.name} aria-labelledby={`tag-${tag.name}`} className="mt-8">
            <h2 id={`tag-${tag.name}`} className="text-2xl font-semibold">
              {tag.name}
            </h2>
            <p className="text-slate-700" lang="en">
              {tag.description}
            </p>
            <div className="mt-4 grid gap-4">
              {tagged.map(({ path, method, operation }) => (
                <Operation key={operation.operationId} path={path} method={method} operation={operation} />
              ))}
            </div>
          </section>
        );
      })}

      <section aria-labelledby="errors-heading" className="mt-10">
        <h2 id="errors-heading" className="text-2xl font-semibold">
          {t("errors")}
        </h2>
        <p className="max-w-prose text-slate-700">{t.rich("errorsIntro", { code })}</p>
        <ul className="mt-3 grid gap-1 text-sm sm:grid-cols-2">
          {[...new Set(ERROR_CODES)].map((code) => (
            <li key={code} id={`problem-${code}`} className="scroll-mt-6">
              <code className="font-mono font-semibold">{code}</code> <span className="text-slate-700">HTTP {STATUS_OF[code]}</span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="schemas-heading" className="mt-10">
        <h2 id="schemas-heading" className="text-2xl font-semibold">
          {t("schemas")}
        </h2>
        <div className="mt-4 grid gap-4">
          {Object.entries(doc.components.schemas).map(([name, schema]) => (
            <article key={name} id={`schema-${name}`} aria-labelledby={`schema-${name}-title`} className="min-w-0 scroll-mt-6 rounded-lg border border-slate-200 bg-white p-4 wrap-anywhere">
              <h3 id={`schema-${name}-title`} className="font-mono text-lg font-semibold">
                {name}
              </h3>
              {schema.description ? (
                <p className="mt-1 text-slate-700" lang="en">
                  {schema.description}
                </p>
              ) : null}
              <div className="mt-2">
                <SchemaProperties schema={schema} caption={t("fieldsOf", { name })} />
              </div>
            </article>
          ))}
        </div>
      </section>
    </>
  );
}
