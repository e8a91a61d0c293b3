import Link from "next/link";
import { SearchForm } from "@/components/ui/search-form";

/** A block height that is not sealed (yet), or not a height at all. */
export default function BlockNotFound() {
  return (
    <div className="max-w-2xl">
      <h1 className="text-3xl font-bold">No such block</h1>
      <p className="mt-3 text-lg text-slate-700">
        There is no sealed block at this height. Blocks are numbered from 1; a higher number may simply not be sealed yet.
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
