import Link from "next/link";
import type { PublicEntry } from "@/lib/ledger/reads";

/** A page of a block's entries: leaf position, entry hash (linked), and the proof bundle download. */
export function EntryTable({ entries, caption }: { entries: PublicEntry[]; caption: string }) {
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <table className="w-full table-fixed border-collapse text-left">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-100 text-sm text-slate-800">
          <tr>
            <th scope="col" className="w-12 px-2 py-2 font-semibold sm:w-16 sm:px-3">
              Leaf
            </th>
            <th scope="col" className="px-2 py-2 font-semibold sm:px-3">
              Entry hash
            </th>
            <th scope="col" className="w-16 px-2 py-2 font-semibold sm:w-32 sm:px-3">
              Proof
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {entries.map((entry) => (
            <tr key={entry.entryHash}>
              <td className="px-2 py-2 align-top tabular-nums text-slate-700 sm:px-3">{entry.leafIndex}</td>
              <td className="px-2 py-2 align-top sm:px-3">
                <Link className="link hash text-sm" href={`/entries/${entry.entryHash}`}>
                  {entry.entryHash}
                </Link>
              </td>
              <td className="px-2 py-2 align-top text-sm sm:px-3">
                <a className="link" href={`/api/v1/proofs/${entry.entryHash}`} download={`proof-${entry.entryHash}.json`}>
                  JSON<span className="sr-only"> proof bundle of entry {entry.entryHash}</span>
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
