import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { PageShell } from "@/components/layout/page-shell";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { LOCALES } from "@/lib/portal/i18n/routing";
import { translator } from "@/lib/portal/i18n/translator";

type Props = { children: ReactNode; params: Promise<{ locale: string }> };

/** Both languages are built ahead, so pages that are static stay static. */
export function generateStaticParams(): Array<{ locale: string }> {
  return LOCALES.map((locale) => ({ locale }));
}

/** The portal's title, description and feed link, in the page's language. */
export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const locale = await pageLocale(params);
  const t = await translator(locale, "common");
  return {
    title: { default: t("meta.title"), template: t("meta.titleTemplate") },
    description: t("meta.description"),
    alternates: { types: { "application/atom+xml": [{ url: `/${locale}/feed.xml`, title: t("meta.feedTitle") }] } },
  };
}

export const viewport: Viewport = { themeColor: "#0f172a", width: "device-width", initialScale: 1 };

/** The public portal's layout, in the language its URL names. */
export default async function LocaleLayout({ children, params }: Props) {
  const locale = await pageLocale(params);
  return <PageShell locale={locale}>{children}</PageShell>;
}
