import { listBlockEntries, type BlockSummary } from "@/lib/ledger/reads";
import type { LedgerContext } from "@/lib/ledger/context";
import { formatCount } from "@/lib/portal/format";
import { ENTRIES_PER_PAGE } from "@/lib/portal/params";
import { Pager } from "../ui/pager";
import { EntryTable } from "./entry-table";

/** One page (1-based) of a block's entries with links to the neighbouring pages, and the downloads. */
export async function BlockEntries({ ledger, block, page }: { ledger: LedgerContext; block: BlockSummary; page: number }) {
  const pages = Math.max(1, Math.ceil(block.entryCount / ENTRIES_PER_PAGE));
  const { entries } = await listBlockEntries(ledger, block.height, { from: (page - 1) * ENTRIES_PER_PAGE, limit: ENTRIES_PER_PAGE });
  const first = (page - 1) * ENTRIES_PER_PAGE;
  const pageHref = (n: number) => `/blocks/${block.height}/entries/${n}`;
  return (
    <section aria-labelledby="entries-heading" className="mt-10">
      <h2 id="entries-heading" className="text-2xl font-semibold">
        Entries of block {block.height}
      </h2>
      <p className="mt-1 max-w-prose text-slate-700">
        Each entry is the fingerprint (keccak-256 hash) of one signed record. The records themselves are never published. Select an entry
        to see its status, or download its proof bundle to verify it.
      </p>
      <ul className="mt-3 flex flex-wrap gap-3" aria-label="Downloads">
        <li>
          <a className="link" href={`/api/v1/blocks/${block.height}/entries?download=json`} download>
            Download all {formatCount(block.entryCount)} entries as JSON
          </a>
        </li>
        <li>
          <a className="link" href={`/api/v1/blocks/${block.height}/entries?download=csv`} download>
            Download all {formatCount(block.entryCount)} entries as CSV
          </a>
        </li>
      </ul>
      <div className="mt-4">
        {entries.length > 0 ? (
          <EntryTable entries={entries} caption={`Entries ${first + 1} to ${first + entries.length} of block ${block.height}, in leaf order`} />
        ) : (
          <p className="rounded-lg border border-slate-200 bg-white p-4">This page of entries is empty.</p>
        )}
      </div>
      <Pager
        label="Entry pages"
        previous={page > 1 ? { href: page === 2 ? `/blocks/${block.height}` : pageHref(page - 1), text: "Previous entries" } : null}
        next={page < pages ? { href: pageHref(page + 1), text: "More entries" } : null}
        position={
          entries.length > 0
            ? `Page ${page} of ${pages} · entries ${formatCount(first + 1)}–${formatCount(first + entries.length)} of ${formatCount(block.entryCount)}`
            : `Page ${page} of ${pages}`
        }
      />
    </section>
  );
}
