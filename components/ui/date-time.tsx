import { useLocale } from "next-intl";
import { formatInstant } from "@/lib/portal/format";

/** An instant as a `<time>` element, written in UTC in the page's language. */
export function DateTime({ at }: { at: Date | string }) {
  const locale = useLocale();
  const date = typeof at === "string" ? new Date(at) : at;
  return <time dateTime={date.toISOString()}>{formatInstant(date, locale)}</time>;
}
