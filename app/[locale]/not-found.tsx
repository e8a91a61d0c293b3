import Link from "next/link";
import { SearchForm } from "@/components/ui/search-form";

/** Shown for an address that names nothing in this ledger. */
export default function NotFound() {
  return (
    <div className="max-w-2xl">
      <h1 className="text-3xl font-bold">Nothing here</h1>
      <p className="mt-3 text-lg text-slate-700">
        This address does not name a page, a block or an entry of this ledger. It may not exist yet (blocks are sealed every few
        seconds) or the address may be mistyped.
      </p>
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
        <SearchForm />
      </div>
      <p className="mt-6">
        <Link className="link" href="/">
          Back to the ledger’s home page
        </Link>
      </p>
    </div>
  );
}
