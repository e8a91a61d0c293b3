"use client";

import { useLocale, useTranslations } from "next-intl";
import { Link, usePathname } from "@/lib/portal/i18n/navigation";
import { LOCALES } from "@/lib/portal/i18n/routing";

/** Each language's own name, written in that language, so a reader finds theirs whatever page they are on. */
const OWN_NAMES: Record<(typeof LOCALES)[number], string> = { uk: "Українська", en: "English" };

/**
 * The language switch: the same page in each language. Choosing one is remembered (the locale
 * cookie, set by the link and by the proxy), so unprefixed addresses open in it from then on.
 */
export function LanguageSwitch({ className = "" }: { className?: string }) {
  const t = useTranslations("common.language");
  const current = useLocale();
  const pathname = usePathname() ?? "/";
  return (
    <nav aria-label={t("label")} className={className}>
      <ul className="flex gap-1 text-sm">
        {LOCALES.map((locale) => (
          <li key={locale}>
            <Link
              href={pathname}
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
