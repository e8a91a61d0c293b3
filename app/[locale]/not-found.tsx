"use client";

import { useTranslations } from "next-intl";
import { SearchForm } from "@/components/ui/search-form";
import { Link } from "@/lib/portal/i18n/navigation";

/** Shown for an address that names nothing in this ledger, in the language of its URL. */
export default function NotFound() {
  const t = useTranslations("common.notFound");
  return (
    <div className="max-w-2xl">
      <h1 className="text-3xl font-bold">{t("title")}</h1>
      <p className="mt-3 text-lg text-slate-700">{t("body")}</p>
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
        <SearchForm />
      </div>
      <p className="mt-6">
        <Link className="link" href="/">
          {t("home")}
        </Link>
      </p>
    </div>
  );
}
