"use client";

import { useTranslations } from "next-intl";
import { Link } from "@/lib/portal/i18n/navigation";
import { SearchForm } from "../ui/search-form";

/** Where each kind of not-found page sends the reader next. */
const NEXT_STEP = { page: "/", block: "/blocks", entriesPage: "/blocks" } as const;

/**
 * The body of a not-found.tsx: what is missing, the search box and a way on, in the page's
 * language (common.notFound.<which>). A client component: not-found pages render apart from the
 * page that named its language, so they take their texts from the layout's provider.
 */
export function NotFoundNotice({ which }: { which: keyof typeof NEXT_STEP }) {
  const t = useTranslations(`common.notFound.${which}`);
  return (
    <div className="max-w-2xl">
      <h1 className="text-3xl font-bold">{t("title")}</h1>
      <p className="mt-3 text-lg text-slate-700">{t("body")}</p>
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
        <SearchForm />
      </div>
      <p className="mt-6">
        <Link className="link" href={NEXT_STEP[which]}>
          {t("link")}
        </Link>
      </p>
    </div>
  );
}
