import { useLocale, useTranslations } from "next-intl";

/**
 * The one search box: a block number, an entry hash, a block root or an anchoring transaction hash.
 * A plain GET form, so it works before (and without) JavaScript; /search resolves and redirects.
 */
export function SearchForm({ defaultValue = "", autoFocus = false }: { defaultValue?: string; autoFocus?: boolean }) {
  const t = useTranslations("common.search");
  const locale = useLocale();
  return (
    <form action={`/${locale}/search`} method="get" role="search" aria-label={t("formLabel")} className="w-full">
      <label htmlFor="search-q" className="block font-semibold text-slate-900">
        {t("label")}
      </label>
      <p id="search-hint" className="text-sm text-slate-700">
        {t("hint")}
      </p>
      <div className="mt-2 flex flex-col gap-2 sm:flex-row">
        <input
          id="search-q"
          name="q"
          type="search"
          required
          autoFocus={autoFocus}
          defaultValue={defaultValue}
          aria-describedby="search-hint"
          autoComplete="off"
          spellCheck={false}
          className="min-w-0 flex-1 rounded border border-slate-400 bg-white px-3 py-2 font-mono text-sm"
          placeholder={t("placeholder")}
        />
        <button type="submit" className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900">
          {t("submit")}
        </button>
      </div>
    </form>
  );
}
