import { useTranslations } from "next-intl";
import type { ReactNode } from "react";

/** "Why you can trust this": how a reader can check what the page shows without trusting the portal. */
export function TrustNote({ title, children }: { title?: string; children: ReactNode }) {
  const t = useTranslations("common");
  const heading = title ?? t("trustNote");
  return (
    <aside aria-label={heading} className="mt-10 rounded-lg border border-emerald-200 bg-emerald-50 p-5 text-slate-800">
      <h2 className="text-lg font-semibold text-emerald-900">{heading}</h2>
      <div className="mt-2 max-w-prose space-y-2 leading-relaxed">{children}</div>
    </aside>
  );
}
