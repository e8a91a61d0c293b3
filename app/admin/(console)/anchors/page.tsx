import type { Metadata } from "next";
import Link from "next/link";
import { AlarmBanner } from "@/components/admin/alarm-banner";
import { JobRunner } from "@/components/admin/job-runner";
import { DateTime } from "@/components/ui/date-time";
import { StatusBadge, type Tone } from "@/components/ui/status-badge";
import { explorerTxUrl, listAnchorHistory } from "@/lib/admin/anchor-history";
import { getAdminSettings } from "@/lib/admin/http/guard";
import { requireAdminPage } from "@/lib/server/admin-page-gates";
import { latestActiveAlarm } from "@/lib/chain/anchoring/alarms";
import { formatCount, shortHash } from "@/lib/portal/format";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Anchors" };

const PAGE = 50;
const STATUS: Record<string, { tone: Tone; text: string }> = {
  confirmed: { tone: "good", text: "Confirmed" },
  sent: { tone: "warn", text: "Sent" },
  failed: { tone: "bad", text: "Failed" },
  none: { tone: "neutral", text: "Not sent yet" },
};

/** Anchoring history: every sealed block with its transaction, gas, attempts and last error; retries; the alarm. */
export default async function AnchorsPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const { may } = await requireAdminPage("read", "/admin/anchors");
  const { before } = await searchParams;
  const beforeHeight = before && /^\d{1,9}$/.test(before) ? Number(before) : undefined;
  const { ledger } = await getRuntime();
  const [rows, alarm] = await Promise.all([listAnchorHistory(ledger.db, { beforeHeight, limit: PAGE }), latestActiveAlarm(ledger.db)]);
  const explorer = getAdminSettings().explorerUrl;
  const failed = rows.filter((r) => r.status === "failed" || (r.status !== "confirmed" && r.lastError));

  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Anchors</h1>
      {alarm ? (
        <div className="space-y-3">
          <AlarmBanner alarm={alarm} showLink={false} />
          {may.anchor ? <JobRunner kind="anchor" label="Re-check the chain and anchor" body={{ recheckAlarm: true }} /> : null}
        </div>
      ) : null}
      {may.anchor && !alarm ? (
        <JobRunner kind="anchor" label={failed.length > 0 ? `Retry the ${failed.length} failed anchor(s) now` : "Anchor now"} />
      ) : null}

      {rows.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4">No block is sealed yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" tabIndex={0} role="region" aria-label="Anchoring history">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Each sealed block, newest first, and its anchoring transaction</caption>
            <thead className="bg-slate-100">
              <tr>
                {["Block", "Status", "Transaction", "Chain block", "Gas used", "Attempts", "Last error", "Updated"].map((h) => (
                  <th key={h} scope="col" className="px-3 py-2 font-semibold">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200">
              {rows.map((r) => {
                const status = STATUS[r.status ?? "none"];
                const txUrl = r.txHash ? explorerTxUrl(r.chainId, r.txHash, explorer) : null;
                return (
                  <tr key={r.height} className="align-top">
                    <td className="px-3 py-2">
                      <Link href={`/blocks/${r.height}`} className="link">
                        {r.height}
                      </Link>
                      <span className="block text-xs text-slate-600">{formatCount(r.entryCount)} entries</span>
                    </td>
                    <td className="px-3 py-2">
                      <StatusBadge tone={status.tone}>{status.text}</StatusBadge>
                    </td>
                    <td className="px-3 py-2">
                      {r.txHash ? (
                        txUrl ? (
                          <a href={txUrl} className="link font-mono" rel="noreferrer noopener" target="_blank">
                            {shortHash(r.txHash)}
                            <span className="sr-only"> (opens the block explorer)</span>
                          </a>
                        ) : (
                          <code className="hash text-xs" title={r.txHash}>
                            {r.txHash}
                          </code>
                        )
                      ) : (
                        "–"
                      )}
                      {r.chainId !== null ? <span className="block text-xs text-slate-600">chain {r.chainId}</span> : null}
                    </td>
                    <td className="px-3 py-2 tabular-nums">{r.chainBlockNumber ?? "–"}</td>
                    <td className="px-3 py-2 tabular-nums">
                      {r.gasUsed !== null ? formatCount(r.gasUsed) : "–"}
                      {r.batchSize && r.batchSize > 1 ? <span className="block text-xs text-slate-600">shared by {r.batchSize} blocks</span> : null}
                    </td>
                    <td className="px-3 py-2 tabular-nums">{r.attempts}</td>
                    <td className="max-w-xs px-3 py-2 break-words text-red-900">{r.lastError ?? ""}</td>
                    <td className="px-3 py-2">{r.updatedAt ? <DateTime at={r.updatedAt} /> : "–"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {rows.length === PAGE && rows[rows.length - 1].height > 1 ? (
        <p>
          <Link href={`/admin/anchors?before=${rows[rows.length - 1].height}`} className="link">
            Older blocks
          </Link>
        </p>
      ) : null}
    </>
  );
}
