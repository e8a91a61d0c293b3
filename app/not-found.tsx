import Link from "next/link";
import "./globals.css";

/**
 * Shown for an address outside every language's pages (the proxy sends the others to a language,
 * whose own not-found page answers). English, because no language is known here.
 */
export default function GlobalNotFound() {
  return (
    <html lang="en">
      <body className="bg-slate-50 font-sans text-slate-900 antialiased">
        <main className="mx-auto max-w-2xl px-4 py-8">
          <h1 className="text-3xl font-bold">Nothing here</h1>
          <p className="mt-3 text-lg text-slate-700">This address does not name a page of this ledger.</p>
          <p className="mt-6">
            <Link className="link" href="/">
              Back to the ledger’s home page
            </Link>
          </p>
        </main>
      </body>
    </html>
  );
}
