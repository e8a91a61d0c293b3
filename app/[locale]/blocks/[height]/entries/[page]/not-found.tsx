import Link from "next/link";
import { SearchForm } from "@/components/ui/search-form";

/** A block height that is not sealed (yet), or not a height at all. */
export default function EntriesPageNotFound() {
  return (
    <div className="max-w-2xl">
      <h1 className="text-3xl font-bold">No such page of entries</h1>
      <p className="mt-3 text-lg text-slate-700">
        Either this block is not sealed (yet), or it has fewer entries than this page would show.
      </p>
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
        <SearchForm />
      </div>
      <p className="mt-6">
        <Link className="link" href="/blocks">
          See all sealed blocks
        </Link>
      </p>
    </div>
  );
}
