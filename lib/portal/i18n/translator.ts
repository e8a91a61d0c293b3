/**
 * Texts for server components and route handlers: `const t = await translator(locale, "blocks")`
 * then `t("title", { height })`. It reads the message files directly (no request context), so a
 * page using it stays static where it was, and tests can render it outside Next.js.
 */
import { createTranslator } from "next-intl";
import { loadMessages, type Namespace } from "./messages";
import type { Locale } from "./routing";

type Values = Record<string, string | number | Date>;
type RichValues = Record<string, string | number | Date | ((chunks: React.ReactNode) => React.ReactNode)>;

/** A message lookup bound to one language and namespace. */
export interface Translate {
  (key: string, values?: Values): string;
  /** A message with markup tags (`<link>…</link>`) rendered by the given functions. */
  rich(key: string, values: RichValues): React.ReactNode;
  /** Whether the namespace has `key` (for texts chosen by an id, such as a verification step's). */
  has(key: string): boolean;
  /** A raw message value (an array or object of texts). */
  raw(key: string): unknown;
}

/** Loads the texts of `namespace` in `locale` and returns the lookup. */
export async function translator(locale: Locale, namespace: Namespace): Promise<Translate> {
  const messages = await loadMessages(locale);
  return translatorFrom(locale, messages, namespace);
}

/** The lookup over messages already loaded (see translator). */
export function translatorFrom(locale: Locale, messages: Record<string, unknown>, namespace: string): Translate {
  const t = createTranslator({ locale, messages, namespace, timeZone: "UTC" } as never) as unknown as Translate;
  return t;
}
