"use client";

import { useEffect } from "react";

/** The body of an error.tsx: what failed, that nothing changed, and a way to try again. */
export function ErrorNotice({
  title,
  error,
  reset,
}: {
  title: string;
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(`${title}:`, error);
  }, [title, error]);
  return (
    <div className="max-w-prose">
      <h1 className="text-3xl font-bold">{title}</h1>
      <p className="mt-3 text-lg text-slate-700">
        The portal could not read the ledger just now. Nothing was changed. Try again in a moment; if it keeps failing, tell the
        operator{error.digest ? <> and quote the reference <code className="font-mono">{error.digest}</code></> : null}.
      </p>
      <button type="button" onClick={reset} className="mt-6 rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900">
        Try again
      </button>
    </div>
  );
}
