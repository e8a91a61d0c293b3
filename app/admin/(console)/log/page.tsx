import type { Metadata } from "next";
import Link from "next/link";
import { DateTime } from "@/components/ui/date-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { listAdminLog } from "@/lib/admin/admin-log";
import { requireAdminPage } from "@/lib/server/admin-page-gates";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Admin log" };

const PAGE = 100;
const OUTCOME = { ok: { tone: "good", text: "Done" }, denied: { tone: "warn", text: "Refused" }, failed: { tone: "bad", text: "Failed" } } as const;

/** The admin log, newest first: who did what, when, from where, and how it ended. It cannot be changed. */
export default async function AdminLogPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  await requireAdminPage("read", "/admin/log");
  const { before } = await searchParams;
  const beforeId = before && /^\d{1,15}$/.test(before) ? Number(before) : undefined;
  const { ledger } = await getRuntime();
  const entries = await listAdminLog(ledger.db, { beforeId, limit: PAGE });

  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Admin log</h1>
      <p className="max-w-3xl text-slate-700">
        Every admin action and sign-in, failed ones included. The database refuses to change or delete these entries.
      </p>
      {entries.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4">Nothing logged yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Admin log entries">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Admin log, newest first</caption>
            <thead className="bg-slate-100">
              <tr>
                {["When", "Who", "Action", "Target", "Result", "From", "Details"].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 font-semibold">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {entries.map((e) => (
                <tr key={e.id} className="align-top">
                  <td className="px-3 py-2 whitespace-nowrap">
                    <DateTime at={e.at} />
                  </td>
                  <td className="px-3 py-2">
                    {e.email ?? "the command line"}
                    {e.role ? <span className="block text-xs text-slate-600">{e.role}</span> : null}
                  </td>
                  <td className="px-3 py-2 font-mono">{e.action}</td>
                  <td className="max-w-[14rem] px-3 py-2 break-all">{e.target ?? ""}</td>
                  <td className="px-3 py-2">
                    <StatusBadge tone={OUTCOME[e.outcome].tone}>{OUTCOME[e.outcome].text}</StatusBadge>
                  </td>
                  <td className="max-w-[14rem] px-3 py-2">
                    {e.ip ?? "–"}
                    {e.userAgent ? <span className="block truncate text-xs text-slate-600" title={e.userAgent}>{e.userAgent}</span> : null}
                  </td>
                  <td className="max-w-md px-3 py-2">
                    {Object.keys(e.details).length > 0 ? <code className="block text-xs break-words whitespace-pre-wrap">{JSON.stringify(e.details)}</code> : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {entries.length === PAGE ? (
        <p>
          <Link href={`/admin/log?before=${entries[entries.length - 1].id}`} className="link">
            Older entries
          </Link>
        </p>
      ) : null}
    </>
  );
}
