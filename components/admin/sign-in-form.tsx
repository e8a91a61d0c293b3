"use client";

import { useState, type FormEvent } from "react";
import { adminFetch } from "@/lib/admin/client/admin-api";

/** Where to go after signing in: an admin page of this site only (never another site). */
function safeNext(next: string | null): string {
  return next && /^\/admin(\/[A-Za-z0-9_-]+)*$/.test(next) && !next.startsWith("/admin/sign-in") ? next : "/admin";
}

/** The sign-in form: email and password; says plainly what went wrong, and how long to wait when throttled. */
export function SignInForm({ next }: { next: string | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await adminFetch("/api/v1/admin/session", { method: "POST", body: { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") } });
      window.location.assign(safeNext(next));
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <div>
        <label htmlFor="email" className="block font-semibold">
          Email address
        </label>
        <input id="email" name="email" type="email" autoComplete="username" required className="mt-1 w-full rounded border border-slate-400 px-3 py-2" />
      </div>
      <div>
        <label htmlFor="password" className="block font-semibold">
          Password
        </label>
        <input id="password" name="password" type="password" autoComplete="current-password" required className="mt-1 w-full rounded border border-slate-400 px-3 py-2" />
      </div>
      {error ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-red-900">
          {error}
        </p>
      ) : null}
      <button type="submit" disabled={busy} className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900 disabled:opacity-60">
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
