import { Link } from "@/lib/portal/i18n/navigation";
import type { Locale } from "@/lib/portal/i18n/routing";
import { translator } from "@/lib/portal/i18n/translator";
import { LanguageSwitch } from "./language-switch";
import { NavLinks } from "./nav-links";

/** The banner on every page: the portal's name, what it is, the main navigation and the language switch. */
export async function SiteHeader({ locale, languageSwitch }: { locale: Locale; languageSwitch: boolean }) {
  const t = await translator(locale, "common");
  return (
    <header className="bg-slate-900 text-white">
      <div className="mx-auto flex max-w-6xl flex-col gap-3 px-4 py-4 sm:px-6 md:flex-row md:items-center md:justify-between">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <Link href="/" locale={locale} className="group inline-flex items-baseline gap-2 rounded">
            <svg aria-hidden="true" viewBox="0 0 24 24" className="h-6 w-6 self-center fill-none stroke-current" strokeWidth="2">
              <rect x="4" y="10" width="16" height="11" rx="2" />
              <path d="M8 10V7a4 4 0 0 1 8 0v3" />
              <path d="M12 14v3" strokeLinecap="round" />
            </svg>
            <span className="text-xl font-bold tracking-tight group-hover:underline">Sealbook</span>
            <span className="text-sm text-slate-300">{t("header.tagline")}</span>
          </Link>
          {languageSwitch ? <LanguageSwitch className="md:hidden" /> : null}
        </div>
        <div className="flex flex-col gap-2 md:flex-row md:items-center md:gap-4">
          <nav aria-label={t("header.navLabel")}>
            <NavLinks />
          </nav>
          {languageSwitch ? <LanguageSwitch className="hidden md:block" /> : null}
        </div>
      </div>
    </header>
  );
}
