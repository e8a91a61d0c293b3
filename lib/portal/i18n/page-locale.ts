/**
 * The language of a page under app/[locale]/: read from its params, checked, and registered with
 * next-intl so that the page can be rendered statically. An unknown language is a 404.
 */
import { hasLocale } from "next-intl";
import { setRequestLocale } from "next-intl/server";
import { notFound } from "next/navigation";
import { routing, type Locale } from "./routing";

/** The `locale` route parameter of a page or layout, checked; calls notFound() for an unknown one. */
export async function pageLocale(params: Promise<{ locale: string }>): Promise<Locale> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  return locale;
}
