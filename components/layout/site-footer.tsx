import Link from "next/link";

/** The footer on every page: where to check things independently, and the machine-readable views. */
export function SiteFooter() {
  return (
    <footer className="mt-12 border-t border-slate-200 bg-white">
      <div className="mx-auto grid max-w-6xl gap-6 px-4 py-8 text-sm text-slate-700 sm:grid-cols-2 sm:px-6">
        <p className="max-w-prose">
          This portal is one window onto the ledger, not the proof itself. Every figure here can be checked without trusting it: download
          the proofs, read the roots from the public blockchain, and recompute them with the published protocol.
        </p>
        <ul className="flex flex-wrap gap-x-4 gap-y-2 sm:justify-end">
          <li>
            <Link className="link" href="/about">
              How it works
            </Link>
          </li>
          <li>
            <Link className="link" href="/api">
              API documentation
            </Link>
          </li>
          <li>
            <a className="link" href="/api/v1/openapi.json">
              OpenAPI document
            </a>
          </li>
          <li>
            <a className="link" href="/feed.xml">
              Atom feed of blocks
            </a>
          </li>
        </ul>
      </div>
    </footer>
  );
}
