"use client";

import { useTranslations } from "next-intl";
import { useEffect } from "react";

/** The body of an error.tsx: what failed, that nothing changed, and a way to try again; `which` names the title in common.error. */
export function ErrorNotice({
  which,
  error,
  reset,
}: {
  which: "page" | "blocks" | "block" | "entry" | "console";
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const t = useTranslations("common.error");
  const title = t(`title.${which}`);
  useEffect(() => {
    console.error(`${title}:`, error);
  }, [title, error]);
  return (
    <div className="max-w-prose">
      <h1 className="text-3xl font-bold">{title}</h1>
      <p className="mt-3 text-lg text-slate-700">
        {t("body")}
        {error.digest ? <> {t.rich("reference", { code: (chunks) => <code className="font-mono">{chunks}</code>, digest: error.digest })}</> : null}
      </p>
      <button type="button" onClick={reset} className="mt-6 rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900">
        {t("retry")}
      </button>
    </div>
  );
}
