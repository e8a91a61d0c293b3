import type { Metadata } from "next";
import { formatGwei } from "viem";
import Link from "next/link";
import { AlarmBanner } from "@/components/admin/alarm-banner";
import { JobRunner } from "@/components/admin/job-runner";
import { DateTime } from "@/components/ui/date-time";
import { FieldList } from "@/components/ui/field-list";
import { HashValue } from "@/components/ui/hash-value";
import { StatusBadge } from "@/components/ui/status-badge";
import { getDashboard } from "@/lib/admin/dashboard";
import { getReceiptAlarms } from "@/lib/ledger/health";
import { requireAdminPage } from "@/lib/server/admin-page-gates";
import { formatCount, formatDuration } from "@/lib/portal/format";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dashboard" };

/** The dashboard: what is pending, sealed and anchored, the anchoring job, the chain, and the two jobs to run now. */
export default async function DashboardPage() {
  const { may } = await requireAdminPage("read", "/admin");
  const runtime = await getRuntime();
  const d = await getDashboard(runtime);
  const a = d.anchoring;
  const now = runtime.ledger.now();
  const lagFor = d.oldestUnanchoredSealedAt ? formatDuration(now.getTime() - d.oldestUnanchoredSealedAt.getTime()) : null;
  const promises = await getReceiptAlarms(runtime.ledger, runtime.config, now);

  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Dashboard</h1>
      {a.alarm ? <AlarmBanner alarm={a.alarm} /> : null}

      <section aria-labelledby="ledger-title" className="space-y-3">
        <h2 id="ledger-title" className="text-xl font-semibold">
          Ledger {d.ledger.ledgerId}
        </h2>
        <FieldList
          fields={[
            { label: "Pending entries", value: <span className="tabular-nums">{formatCount(d.ledger.pendingCount)}</span>, hint: "Accepted, waiting for the next block." },
            {
              label: "Head",
              value:
                d.ledger.head.height === 0 ? (
                  "No block sealed yet"
                ) : (
                  <>
                    <Link href={`/blocks/${d.ledger.head.height}`} className="link">
                      Block {d.ledger.head.height}
                    </Link>
                    {d.ledger.head.sealedAt ? (
                      <>
                        , sealed <DateTime at={d.ledger.head.sealedAt} />
                      </>
                    ) : null}
                  </>
                ),
              hint: <HashValue value={d.ledger.head.root} label="head root" />,
            },
            { label: "Entries sealed", value: <span className="tabular-nums">{formatCount(d.ledger.totalEntries)}</span> },
          ]}
        />
      </section>

      <section aria-labelledby="promises-title" className="space-y-3">
        <h2 id="promises-title" className="text-xl font-semibold">
          Sealing promises
        </h2>
        <p className="text-sm text-slate-700">
          Every accepted record got a signed receipt promising it will be in a block within {promises.sealByDelaySeconds} seconds. A pending entry past
          that time is evidence, in its submitter's hands, that the ledger broke its promise.
        </p>
        <div
          role={promises.status === "ok" ? undefined : "alert"}
          className={`rounded border p-3 ${promises.status === "alarm" ? "border-red-300 bg-red-50" : promises.status === "warn" ? "border-amber-300 bg-amber-50" : "border-emerald-300 bg-emerald-50"}`}
        >
          <StatusBadge tone={promises.status === "ok" ? "good" : promises.status === "warn" ? "warn" : "bad"}>
            {promises.status === "ok" ? "Kept" : promises.status === "warn" ? "Near sealBy" : "Past sealBy"}
          </StatusBadge>{" "}
          {promises.message}
          {promises.entries.length > 0 ? (
            <ul className="mt-2 space-y-1 text-sm">
              {promises.entries.map((e) => (
                <li key={e.entryHash}>
                  <HashValue value={e.entryHash} label="pending entry" /> accepted <DateTime at={e.acceptedAt} />, {e.state === "overdue" ? "past" : "near"} its sealBy{" "}
                  <DateTime at={new Date(e.sealBy * 1000)} />
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </section>

      <section aria-labelledby="anchoring-title" className="space-y-3">
        <h2 id="anchoring-title" className="text-xl font-semibold">
          Anchoring
        </h2>
        <FieldList
          fields={[
            {
              label: "Anchored",
              value: (
                <>
                  up to block {a.anchoredHeight} of {a.ledgerHead}{" "}
                  {a.lag === 0 ? <StatusBadge tone="good">Up to date</StatusBadge> : <StatusBadge tone="warn">{`${a.lag} block${a.lag === 1 ? "" : "s"} behind`}</StatusBadge>}
                </>
              ),
              hint: lagFor ? `The oldest block not anchored yet was sealed ${lagFor} ago.` : undefined,
            },
            { label: "In flight", value: `${a.inFlight} block(s) sent, not confirmed yet` },
            {
              label: "Anchoring job",
              value: a.loop ? (
                <>
                  {a.loop.running ? <StatusBadge tone={a.loop.consecutiveFailures > 0 ? "warn" : "good"}>Running in this process</StatusBadge> : <StatusBadge tone="neutral">Stopped</StatusBadge>}
                  <span className="ml-2 text-sm">
                    {a.loop.lastPassAt ? (
                      <>
                        last pass <DateTime at={a.loop.lastPassAt} />
                      </>
                    ) : (
                      "no pass yet"
                    )}
                    {a.loop.nextPassAt ? (
                      <>
                        , next <DateTime at={a.loop.nextPassAt} />
                      </>
                    ) : null}
                    {a.loop.consecutiveFailures > 0 ? `, ${a.loop.consecutiveFailures} failure(s) in a row` : ""}
                  </span>
                </>
              ) : (
                "Not running in this process (another instance or `sealbook worker` may run it)."
              ),
            },
            {
              label: "Last error",
              value: a.lastError ? (
                <span className="text-red-900">
                  {a.lastError.message} (<DateTime at={a.lastError.at} />
                  {a.lastError.height !== null ? `, block ${a.lastError.height}` : ""})
                </span>
              ) : (
                "None"
              ),
            },
          ]}
        />
      </section>

      <section aria-labelledby="chain-title" className="space-y-3">
        <h2 id="chain-title" className="text-xl font-semibold">
          Chain
        </h2>
        {d.chain.off ? (
          <p className="rounded-lg border border-slate-200 bg-white p-4">Chain services are off (SEALBOOK_CHAIN=off): nothing is anchored.</p>
        ) : (
          <FieldList
            fields={[
              { label: "Chain", value: d.chain.chainId !== null ? `${d.chain.chainId}${d.chain.embedded ? " (the embedded local chain)" : ""}` : "Not known yet" },
              { label: "Registry", value: d.chain.registry ? <HashValue value={d.chain.registry} label="registry address" /> : "Not deployed yet" },
              { label: "Confirmations", value: d.chain.confirmations ?? "–" },
              {
                label: "Anchoring account",
                value: d.anchorer ? <HashValue value={d.anchorer.address} label="anchoring account" /> : "No anchoring key configured (ANCHOR_PRIVATE_KEY)",
              },
              {
                label: "Balance",
                value: !d.anchorer ? (
                  "–"
                ) : d.anchorer.error ? (
                  <span className="text-red-900">{d.anchorer.error}</span>
                ) : (
                  <>
                    {d.anchorer.balanceEth} ETH{" "}
                    {d.anchorer.low ? <StatusBadge tone="bad">Low balance</StatusBadge> : <StatusBadge tone="good">Enough</StatusBadge>}
                  </>
                ),
                hint:
                  d.anchorer?.anchorsAffordable != null
                    ? `About ${formatCount(d.anchorer.anchorsAffordable)} single anchors at the current gas price.${d.anchorer.low ? " It lasts fewer than 14 days at the current cost: top the account up before anchoring stops." : ""}`
                    : undefined,
              },
              {
                label: "Anchoring cost",
                value:
                  d.anchorer?.costPerDayEth != null ? (
                    <>
                      {d.anchorer.costPerDayEth} ETH a day · {d.anchorer.daysLeft === null ? "nothing spent" : `the balance lasts ${formatCount(Math.floor(d.anchorer.daysLeft))} days`}
                    </>
                  ) : (
                    "–"
                  ),
                hint: d.anchorer?.feePerGasWei != null ? `At the current cadence and a fee of ${formatGwei(BigInt(d.anchorer.feePerGasWei))} gwei per gas (capped by ANCHOR_MAX_FEE_GWEI when set); a busy ledger, every seal a block.` : undefined,
              },
            ]}
          />
        )}
      </section>

      {may.seal || may.anchor ? (
        <section aria-labelledby="jobs-title" className="space-y-3">
          <h2 id="jobs-title" className="text-xl font-semibold">
            Run now
          </h2>
          <div className="grid gap-4 lg:grid-cols-2">
            {may.seal ? <JobRunner kind="seal" label="Seal now" /> : null}
            {may.anchor ? <JobRunner kind="anchor" label="Anchor now" /> : null}
          </div>
        </section>
      ) : null}
    </>
  );
}
