"use client";

import { useTranslations } from "next-intl";

/**
 * A polite "still reading" notice for loading.tsx files; `what` names the text in common.loading.
 * A client component: a loading boundary renders beside its page, before the page has named its
 * language to next-intl, so it takes its texts from the layout's provider instead.
 */
export function LoadingNotice({ what = "ledger" }: { what?: "ledger" | "blocks" | "block" | "signers" | "status" | "verify" }) {
  const t = useTranslations("common.loading");
  return (
    <div role="status" aria-live="polite" className="py-16 text-center text-slate-700">
      <span className="inline-block h-6 w-6 animate-spin rounded-full border-2 border-slate-400 border-t-transparent align-middle" aria-hidden="true" />
      <span className="ml-3 align-middle">{t(what)}</span>
    </div>
  );
}
