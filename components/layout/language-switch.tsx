"use client";

import { useLocale, useTranslations } from "next-intl";
import { useSearchParams } from "next/navigation";
import { Suspense } from "react";
import { Link, usePathname } from "@/lib/portal/i18n/navigation";
import { LOCALES } from "@/lib/portal/i18n/routing";

/** Each language's own name, written in that language, so a reader finds theirs whatever page they are on. */
const OWN_NAMES: Record<(typeof LOCALES)[number], string> = { uk: "Українська", en: "English" };

/**
 * The language switch: the same page in each language, with the same query (a search, a page of
 * a block's entries). Choosing one is remembered (the locale cookie, set by the link and by the
 * proxy), so unprefixed addresses open in it from then on.
 */
export function LanguageSwitch({ className = "" }: { className?: string }) {
  // The query is known only in the browser on pages Next.js renders ahead of time; until then the
  // links lead to the page without it.
  return (
    <Suspense fallback={<SwitchLinks className={className} query="" />}>
      <SwitchWithQuery className={className} />
    </Suspense>
  );
}

function SwitchWithQuery({ className }: { className: string }) {
  return <SwitchLinks className={className} query={useSearchParams()?.toString() ?? ""} />;
}

function SwitchLinks({ className, query }: { className: string; query: string }) {
  const t = useTranslations("common.language");
  const current = useLocale();
  const pathname = usePathname() ?? "/";
  const href = query ? `${pathname}?${query}` : pathname;
  return (
    <nav aria-label={t("label")} className={className}>
      <ul className="flex gap-1 text-sm">
        {LOCALES.map((locale) => (
          <li key={locale}>
            <Link
              href={href}
              locale={locale}
              lang={locale}
              hrefLang={locale}
              aria-current={locale === current ? "true" : undefined}
              className={`inline-block rounded border px-2 py-1 font-medium ${locale === current ? "border-white bg-white text-slate-900" : "border-slate-500 text-slate-100 hover:bg-white/10"}`}
            >
              {OWN_NAMES[locale]}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
