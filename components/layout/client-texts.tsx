import { NextIntlClientProvider } from "next-intl";
import type { ReactNode } from "react";
import { clientMessages, loadMessages, type Namespace } from "@/lib/portal/i18n/messages";
import type { Locale } from "@/lib/portal/i18n/routing";

/**
 * Gives the client components inside it the texts of `namespaces` (besides the shell's). Only the
 * pages that need a namespace in the browser send it, which keeps the others light.
 */
export async function ClientTexts({ locale, namespaces, children }: { locale: Locale; namespaces: readonly Namespace[]; children: ReactNode }) {
  const messages = await loadMessages(locale);
  return (
    <NextIntlClientProvider locale={locale} messages={clientMessages(messages, namespaces)} timeZone="UTC">
      {children}
    </NextIntlClientProvider>
  );
}
