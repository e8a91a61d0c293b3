import Link from "next/link";
import { SearchForm } from "@/components/ui/search-form";
import { RequestedHash } from "./requested-hash";

/** An entry hash this ledger never accepted (or not a hash at all). */
export default function EntryNotFound() {
  return (
    <div className="max-w-2xl">
      <p className="mb-1 text-sm font-semibold uppercase tracking-wide text-slate-600">Unknown entry</p>
      <h1 className="text-3xl font-bold">This ledger does not know this entry</h1>
      <p className="mt-3 text-lg text-slate-700" data-testid="entry-status" data-status="unknown">
        No record with the entry hash <RequestedHash /> was ever accepted by this ledger. If you hold the signed record, the hash may
        have been copied wrongly; the verifier computes it from the record for you.
      </p>
      <p className="mt-4">
        <Link className="link" href="/verify">
          Open the verifier
        </Link>
      </p>
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-4">
        <SearchForm />
      </div>
    </div>
  );
}
