"use client";

import { useTranslations } from "next-intl";
import { SearchForm } from "@/components/ui/search-form";
import { Link } from "@/lib/portal/i18n/navigation";
import { RequestedHash } from "./requested-hash";

/** An entry hash this ledger never accepted (or not a hash at all). */
export default function EntryNotFound() {
  const t = useTranslations("common.notFound.entry");
  return (
    <div className="max-w-2xl">
      <p className="mb-1 text-sm font-semibold uppercase tracking-wide text-slate-600">{t("eyebrow")}</p>
      <h1 className="text-3xl font-bold">{t("title")}</h1>
      <p className="mt-3 text-lg text-slate-700" data-testid="entry-status" data-status="unknown">
        {t.rich("body", { hash: () => <RequestedHash /> })}
      </p>
      <p className="mt-4">
        <Link className="link" href="/verify">
          {t("openVerifier")}
        </Link>
      </p>
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
        <SearchForm />
      </div>
    </div>
  );
}
