import { Link } from "@/lib/portal/i18n/navigation";
import type { Locale } from "@/lib/portal/i18n/routing";
import { translator } from "@/lib/portal/i18n/translator";

/** The footer on every page: where to check things independently, and the machine-readable views. */
export async function SiteFooter({ locale }: { locale: Locale }) {
  const t = await translator(locale, "common");
  return (
    <footer className="mt-12 border-t border-slate-200 bg-white">
      <div className="mx-auto grid max-w-6xl gap-6 px-4 py-8 text-sm text-slate-700 sm:grid-cols-2 sm:px-6">
        <p className="max-w-prose">{t("footer.notTheProof")}</p>
        <ul className="flex flex-wrap gap-x-4 gap-y-2 sm:justify-end">
          <li>
            <Link className="link" href="/about" locale={locale}>
              {t("footer.howItWorks")}
            </Link>
          </li>
          <li>
            <Link className="link" href="/api" locale={locale}>
              {t("footer.apiDocs")}
            </Link>
          </li>
          <li>
            <a className="link" href="/api/v1/openapi.json">
              {t("footer.openapi")}
            </a>
          </li>
          <li>
            <a className="link" href={`/${locale}/feed.xml`}>
              {t("footer.feed")}
            </a>
          </li>
        </ul>
      </div>
    </footer>
  );
}
