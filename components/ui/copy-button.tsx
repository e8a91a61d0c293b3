"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";

/**
 * Copies `value` to the clipboard. The visible word ("Copy", "Копіювати") starts the accessible name, so voice control finds it;
 * the outcome is announced in a polite live region.
 */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const t = useTranslations("common.copy");
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch (error) {
      console.warn(`Copying the ${label} failed; select the text instead.`, error);
      setState("failed");
    }
  }

  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        onClick={copy}
        aria-label={t("label", { what: label })}
        className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-100"
      >
        {t("button")}
      </button>
      <span role="status" className="text-xs text-slate-700">
        {state === "copied" ? t("copied") : state === "failed" ? t("failed") : ""}
      </span>
    </span>
  );
}
