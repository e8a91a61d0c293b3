/**
 * The portal's languages and how its URLs carry them: `/uk/blocks/42`, `/en/blocks/42`. An
 * unprefixed URL (`/blocks/42`) is sent to the reader's language: the one they last chose
 * (remembered in the NEXT_LOCALE cookie for a year), else the best match of their browser's
 * Accept-Language, else English. The proxy (proxy.ts) applies it; pages and links read it.
 */
import { defineRouting } from "next-intl/routing";

/** The languages the public portal is written in; the first is the one pages are listed under. */
export const LOCALES = ["uk", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** The language of a reader whose browser names none we have. */
export const DEFAULT_LOCALE: Locale = "en";

/** The cookie that remembers a reader's choice, and for how long (one year, in seconds). */
export const LOCALE_COOKIE = { name: "NEXT_LOCALE", maxAge: 365 * 24 * 60 * 60, sameSite: "lax" } as const;

export const routing = defineRouting({
  locales: LOCALES,
  defaultLocale: DEFAULT_LOCALE,
  localePrefix: "always",
  localeCookie: LOCALE_COOKIE,
  // The Link header listing each page's other languages is left out: every page names them in
  // its own <link rel="alternate" hreflang> and the header would grow every answer.
  alternateLinks: false,
});

/** Whether `value` is one of the portal's languages. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}
