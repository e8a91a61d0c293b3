"use client";

import { useState } from "react";
import { adminFetch } from "@/lib/admin/client/admin-api";

/** Ends the session and goes back to the sign-in page. */
export function SignOutButton() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await adminFetch("/api/v1/admin/session", { method: "DELETE" });
            window.location.assign("/admin/sign-in");
          } catch (e) {
            setError((e as Error).message);
            setBusy(false);
          }
        }}
        className="rounded border border-slate-400 bg-white px-3 py-1 text-sm font-semibold text-slate-900 hover:bg-slate-100 disabled:opacity-60"
      >
        {busy ? "Signing out…" : "Sign out"}
      </button>
      {error ? <span role="alert" className="text-sm text-red-800">{error}</span> : null}
    </span>
  );
}
