/**
 * The portal's texts: one JSON file per namespace and language, messages/<locale>/<namespace>.json,
 * so each part of the portal keeps its own texts and a new part adds one file per language and
 * one name below. test/portal/messages-parity.test.ts fails when a text exists in one language
 * and not in the other.
 */
import type { Locale } from "./routing";

/** Every namespace, one JSON file each under messages/<locale>/. */
export const NAMESPACES = ["common", "home", "blocks", "entry", "search", "signers", "status", "about", "apiDocs", "verify", "liveCheck", "charts", "feed", "certificate", "scan"] as const;
export type Namespace = (typeof NAMESPACES)[number];

/** The namespace every page sends to the browser (header, copy buttons, error pages); others only where a page asks (components/layout/client-texts.tsx). */
export const SHELL_NAMESPACE: Namespace = "common";

export type Messages = Record<string, unknown>;

/** Loads every namespace of `locale`, keyed by namespace name. */
export async function loadMessages(locale: Locale): Promise<Messages> {
  const loaded = await Promise.all(
    NAMESPACES.map(async (namespace) => [namespace, (await import(`../../../messages/${locale}/${namespace}.json`)).default as Messages] as const),
  );
  return Object.fromEntries(loaded);
}

/** The part of `messages` a page's client components need: the shell's namespace and `extra`. */
export function clientMessages(messages: Messages, extra: readonly Namespace[] = []): Messages {
  const wanted = [SHELL_NAMESPACE, ...extra];
  return Object.fromEntries(wanted.filter((namespace) => namespace in messages).map((namespace) => [namespace, messages[namespace]]));
}
