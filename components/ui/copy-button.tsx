"use client";

import { useEffect, useState } from "react";

/**
 * Copies `value` to the clipboard. The visible word stays "Copy" so the accessible name contains it;
 * the outcome is announced in a polite live region.
 */
export function CopyButton({ value, label }: { value: string; label: string }) {
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
        aria-label={`Copy ${label}`}
        className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-100"
      >
        Copy
      </button>
      <span role="status" className="text-xs text-slate-700">
        {state === "copied" ? "Copied" : state === "failed" ? "Could not copy: select the text instead" : ""}
      </span>
    </span>
  );
}
