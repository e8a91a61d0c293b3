/**
 * next-intl's request configuration (named in next.config.ts): the language of the request being
 * rendered and its texts. Pages outside the language routes (the admin console) get English.
 */
import { getRequestConfig } from "next-intl/server";
import { loadMessages } from "./messages";
import { DEFAULT_LOCALE, isLocale } from "./routing";

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = isLocale(requested) ? requested : DEFAULT_LOCALE;
  // Pages are rendered on the server in UTC, so every reader and every cache sees the same text.
  return { locale, messages: await loadMessages(locale), timeZone: "UTC" };
});
