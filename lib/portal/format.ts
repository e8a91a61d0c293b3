/**
 * How the portal writes instants, durations, counts and hashes for people, in the reader's
 * language with Intl. Everything is rendered on the server in UTC, so that a page says the same
 * thing to every reader and can be cached.
 */
import type { Locale } from "./i18n/routing";

/** The Intl locale each portal language is written with (British English: day before month). */
const INTL_LOCALE: Record<Locale, string> = { en: "en-GB", uk: "uk-UA" };

const dateTimeFormats = new Map<Locale, Intl.DateTimeFormat>();
function dateTimeFormat(locale: Locale): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(INTL_LOCALE[locale], {
      timeZone: "UTC",
      day: "numeric",
      month: "short",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hour12: false,
    });
    dateTimeFormats.set(locale, format);
  }
  return format;
}

/** An instant as "22 Nov 2026, 10:00:00 UTC" (English) or "22 лист. 2026 р., 10:00:00 UTC" (Ukrainian). */
export function formatInstant(at: Date | string, locale: Locale = "en"): string {
  return `${dateTimeFormat(locale).format(typeof at === "string" ? new Date(at) : at)} UTC`;
}

/** `n` of a time unit in words, with the language's plural ("3 minutes", "3 хвилини"). */
function unit(n: number, name: "second" | "minute" | "hour" | "day", locale: Locale): string {
  return new Intl.NumberFormat(INTL_LOCALE[locale], { style: "unit", unit: name, unitDisplay: "long" }).format(n);
}

/** A duration in words a reader can picture: "45 seconds", "3 minutes", "2 hours 5 minutes", "4 days". */
export function formatDuration(milliseconds: number, locale: Locale = "en"): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return unit(seconds, "second", locale);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return unit(minutes, "minute", locale);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? unit(hours, "hour", locale) : `${unit(hours, "hour", locale)} ${unit(minutes % 60, "minute", locale)}`;
  return unit(Math.floor(hours / 24), "day", locale);
}

/** A hash shortened for tight places, "0x1234…cdef"; the full value must be shown or copyable nearby. */
export function shortHash(hash: string, keep = 6): string {
  return hash.length <= 2 + keep * 2 ? hash : `${hash.slice(0, 2 + keep)}…${hash.slice(-keep)}`;
}

/** A count with the language's digit grouping: 12,345 (English) or 12 345 (Ukrainian). */
export function formatCount(n: number, locale: Locale = "en"): string {
  return n.toLocaleString(INTL_LOCALE[locale]);
}
