import Link from "next/link";
import type { ReactNode } from "react";
import { AnchoringLagChart, EntriesPerBlockChart } from "@/components/charts/activity-charts";
import { BlockTable } from "@/components/blocks/block-table";
import { DateTime } from "@/components/ui/date-time";
import { HashValue } from "@/components/ui/hash-value";
import { PageIntro } from "@/components/ui/page-intro";
import { SearchForm } from "@/components/ui/search-form";
import { StatusBadge } from "@/components/ui/status-badge";
import { TrustNote } from "@/components/ui/trust-note";
import { getLedgerStatus, listBlocks } from "@/lib/ledger/reads";
import { getAnchoringProgress, listBlockActivity } from "@/lib/ledger/activity";
import { getChainSettings } from "@/lib/portal/chain-settings";
import { formatCount, formatDuration } from "@/lib/portal/format";
import { getRuntime } from "@/lib/server/runtime";

// The ledger grows while you read: this page is rendered for every request.
export const dynamic = "force-dynamic";

export default async function HomePage() {
  const runtime = await getRuntime();
  const ledger = runtime.ledger;
  const [status, latest, activity, anchoring, chain] = await Promise.all([
    getLedgerStatus(ledger),
    listBlocks(ledger, { limit: 8 }),
    listBlockActivity(ledger, 30),
    getAnchoringProgress(ledger),
    getChainSettings(runtime),
  ]);
  const now = Date.now();
  const lagBlocks = status.head.height - (anchoring.lastAnchored?.height ?? 0);

  return (
    <>
      <PageIntro title="Public health records you can check yourself" eyebrow={`Ledger “${status.ledgerId}”`}>
        <p>
          Sealbook keeps a tamper-evident register of public health records: prescriptions, treatments and reimbursement claims. The
          records stay private. What is published are their fingerprints (hashes), sealed into numbered blocks, and each block’s
          fingerprint is written to a public blockchain where no one can change it.
        </p>
        <p>
          <Link className="link" href="/verify">
            Verify a record in your browser
          </Link>{" "}
          or browse the blocks below.
        </p>
      </PageIntro>

      <div className="mb-10 rounded-lg border border-slate-200 bg-white p-4">
        <SearchForm />
      </div>

      <section aria-labelledby="status-heading">
        <h2 id="status-heading" className="text-2xl font-semibold">
          The ledger right now
        </h2>
        <dl className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <StatusCard label="Latest block">
            {status.head.height === 0 ? (
              <p>No block sealed yet.</p>
            ) : (
              <>
                <p className="text-2xl font-bold">
                  <Link className="link" href={`/blocks/${status.head.height}`}>
                    Block {status.head.height}
                  </Link>
                </p>
                <p className="mt-1 text-sm text-slate-700">
                  Sealed {status.head.sealedAt ? <DateTime at={status.head.sealedAt} /> : "—"}
                </p>
                <p className="mt-2 text-sm font-semibold text-slate-800">Root</p>
                <HashValue value={status.head.root} label="latest block root" />
              </>
            )}
          </StatusCard>
          <StatusCard label="Entries">
            <p className="text-2xl font-bold tabular-nums">{formatCount(status.totalEntries)}</p>
            <p className="mt-1 text-sm text-slate-700">sealed in blocks</p>
            <p className="mt-2 tabular-nums">
              {formatCount(status.pendingCount)} <span className="text-sm text-slate-700">accepted, waiting for the next block</span>
            </p>
          </StatusCard>
          <StatusCard label="Anchoring on the blockchain">
            {anchoring.lastAnchored ? (
              <>
                <p className="text-2xl font-bold">
                  <Link className="link" href={`/blocks/${anchoring.lastAnchored.height}`}>
                    Block {anchoring.lastAnchored.height}
                  </Link>
                </p>
                <p className="mt-1 text-sm text-slate-700">
                  last anchored, <DateTime at={anchoring.lastAnchored.anchoredAt} />
                </p>
              </>
            ) : (
              <p className="font-semibold">Not anchored yet</p>
            )}
            <p className="mt-2">
              {lagBlocks <= 0 ? (
                <StatusBadge tone="good">Every block is anchored</StatusBadge>
              ) : (
                <StatusBadge tone="warn">
                  {lagBlocks} {lagBlocks === 1 ? "block" : "blocks"} waiting
                </StatusBadge>
              )}
            </p>
            {anchoring.oldestUnanchored ? (
              <p className="mt-1 text-sm text-slate-700">
                Anchoring lag: the oldest waiting block was sealed {formatDuration(now - anchoring.oldestUnanchored.sealedAt.getTime())} ago.
              </p>
            ) : null}
          </StatusCard>
          <StatusCard label="Blockchain">
            {chain.registry ? (
              <>
                <p>{chain.chainId !== null ? `Chain ${chain.chainId}` : "Chain id not known yet"}</p>
                <p className="mt-2 text-sm font-semibold text-slate-800">Registry contract</p>
                <HashValue value={chain.registry} label="registry contract address" />
                <p className="mt-2 text-sm text-slate-700">
                  {chain.rpcUrl ? (
                    <>
                      Public node: <span className="break-all">{chain.rpcUrl}</span>
                    </>
                  ) : (
                    "This portal publishes no node: your browser uses a public node of the chain, or yours (see Verify)."
                  )}
                </p>
              </>
            ) : (
              <>
                <p className="font-semibold">Chain not configured</p>
                <p className="mt-1 text-sm text-slate-700">This ledger does not publish its roots on a blockchain yet.</p>
              </>
            )}
          </StatusCard>
        </dl>
      </section>

      <section aria-labelledby="activity-heading" className="mt-10">
        <h2 id="activity-heading" className="text-2xl font-semibold">
          Recent activity
        </h2>
        <div className="mt-4 grid gap-4 lg:grid-cols-2">
          <EntriesPerBlockChart blocks={activity} />
          <AnchoringLagChart blocks={activity} />
        </div>
      </section>

      <section aria-labelledby="latest-heading" className="mt-10">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="latest-heading" className="text-2xl font-semibold">
            Latest blocks
          </h2>
          <Link className="link" href="/blocks">
            All blocks
          </Link>
        </div>
        <div className="mt-4">
          <BlockTable blocks={latest.blocks} caption="The latest sealed blocks, newest first" />
        </div>
      </section>

      <TrustNote>
        <p>
          Every block’s root is computed from its entries with a public recipe, and each block builds on the root of the one before it,
          so changing any past record would change every root after it. The roots are written to a smart contract on a public
          blockchain, which refuses to overwrite them.
        </p>
        <p>
          So you do not have to believe these numbers: the <Link className="link" href="/verify">verifier</Link> recomputes them in your
          browser and reads the blockchain directly. <Link className="link" href="/about">How it works</Link> explains what this does, and
          does not, guarantee.
        </p>
      </TrustNote>
    </>
  );
}

function StatusCard({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0 rounded-lg border border-slate-200 bg-white p-4">
      <dt className="text-sm font-semibold uppercase tracking-wide text-slate-600">{label}</dt>
      <dd className="mt-2 min-w-0">{children}</dd>
    </div>
  );
}
