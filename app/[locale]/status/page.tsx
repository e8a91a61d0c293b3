import type { Metadata } from "next";
import Link from "next/link";
import { DateTime } from "@/components/ui/date-time";
import { HashValue } from "@/components/ui/hash-value";
import { PageIntro } from "@/components/ui/page-intro";
import { StatusBadge } from "@/components/ui/status-badge";
import { TrustNote } from "@/components/ui/trust-note";
import { formatCount, formatDuration } from "@/lib/portal/format";
import type { Finding } from "@/lib/watchdog/findings";
import { getSelfCheck, type SelfCheck } from "@/lib/watchdog/self-check";

export const metadata: Metadata = {
  title: "Consistency status",
  description: "Whether every published block recomputes from its entries, links to the one before, and matches the root on the blockchain.",
};

// The answer changes with the ledger and the chain: rendered per request, from a result cached for 30 s.
export const dynamic = "force-dynamic";

const HEADLINE: Record<SelfCheck["outcome"], { tone: "good" | "bad" | "warn" | "neutral"; word: string }> = {
  consistent: { tone: "good", word: "Consistent" },
  findings: { tone: "bad", word: "Problem found" },
  unreachable: { tone: "warn", word: "Could not check" },
  not_configured: { tone: "neutral", word: "Nothing to check against" },
  pending: { tone: "neutral", word: "First check running" },
};

function FindingItem({ finding }: { finding: Finding }) {
  return (
    <li className="rounded-lg border border-red-200 bg-white p-4" data-testid="status-finding" data-kind={finding.kind}>
      <p className="font-semibold text-red-900">
        {finding.height !== undefined ? (
          <>
            <Link className="link" href={`/blocks/${finding.height}`}>
              Block {finding.height}
            </Link>
            {": "}
          </>
        ) : null}
        {finding.message}
      </p>
      {finding.entryHash ? (
        <p className="mt-2 text-sm">
          Entry <HashValue value={finding.entryHash} label="entry hash" />
        </p>
      ) : null}
      {finding.expected !== undefined || finding.found !== undefined ? (
        <dl className="mt-2 grid gap-1 text-sm sm:grid-cols-[8rem_1fr]">
          <dt className="font-semibold">Expected</dt>
          <dd className="hash break-all">{finding.expected ?? "—"}</dd>
          <dt className="font-semibold">Found</dt>
          <dd className="hash break-all">{finding.found ?? "—"}</dd>
        </dl>
      ) : null}
      <p className="mt-2 text-xs text-slate-600">Finding type: {finding.kind}</p>
    </li>
  );
}

export default async function StatusPage() {
  const check = await getSelfCheck();
  const { tone, word } = HEADLINE[check.outcome];
  const s = check.summary;
  return (
    <>
      <PageIntro title="Is this ledger consistent?">
        <p>
          This page runs the same checks as an independent watchdog: it downloads every block’s list of entries from this portal’s public
          API, recomputes the block’s root, checks that each block builds on the one before, and compares each root with the one written on
          the blockchain.
        </p>
      </PageIntro>

      <section aria-labelledby="verdict-heading" className="max-w-3xl rounded-lg border border-slate-200 bg-white p-5" data-testid="status-verdict" data-outcome={check.outcome}>
        <h2 id="verdict-heading" className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
          <StatusBadge tone={tone}>{word}</StatusBadge>
        </h2>
        <div className="mt-3 space-y-2 text-lg leading-relaxed">
          {check.outcome === "consistent" && s ? (
            <p>
              Consistent since {check.consistentSince ? <DateTime at={check.consistentSince} /> : "now"}: all {formatCount(s.knownBlocks)} blocks checked so far
              recompute from their published entries and link up from the first; the {formatCount(Math.min(s.chainHeight, s.head))} anchored ones match the
              blockchain exactly.
              {s.deferredBlocks > 0 ? ` ${formatCount(s.deferredBlocks)} more blocks will be checked on the next visits.` : ""}
            </p>
          ) : null}
          {check.outcome === "findings" ? (
            <p>
              The ledger is not what it claims in {check.findings.length === 1 ? "one place" : `${check.findings.length} places`}. Each finding below names the
              block or the record it is about.
            </p>
          ) : null}
          {check.outcome === "unreachable" || check.outcome === "not_configured" ? <p>{check.reason}</p> : null}
          {check.outcome === "pending" ? <p>The first check since the server started is still running. Reload the page in a few seconds.</p> : null}
          {check.checkedAt ? (
            <p className="text-base text-slate-700">
              Checked <DateTime at={check.checkedAt} /> ({formatDuration(Date.now() - check.checkedAt.getTime())} ago).
            </p>
          ) : null}
        </div>
        {check.chain.registry ? (
          <p className="mt-3 text-sm text-slate-700">
            Blockchain: chain {check.chain.chainId ?? "?"}, registry <HashValue value={check.chain.registry} label="registry address" />
          </p>
        ) : null}
      </section>

      {check.findings.length > 0 ? (
        <section aria-labelledby="findings-heading" className="mt-8 max-w-3xl">
          <h2 id="findings-heading" className="text-2xl font-semibold">
            What was found
          </h2>
          <ul className="mt-4 space-y-3">
            {check.findings.map((f, i) => (
              <FindingItem key={`${f.kind}-${f.height ?? ""}-${f.entryHash ?? ""}-${i}`} finding={f} />
            ))}
          </ul>
        </section>
      ) : null}

      {check.notes.length > 0 ? (
        <section aria-labelledby="notes-heading" className="mt-8 max-w-3xl">
          <h2 id="notes-heading" className="text-xl font-semibold">
            Worth knowing
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-6 text-slate-800">
            {check.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <TrustNote title="Don’t take this page’s word for it">
        <p>
          This is the portal checking itself, and a dishonest operator could change this page too. The checks are only worth something when
          someone else runs them: anyone can, with the command line’s independent watchdog, which reads nothing but this public API and a
          blockchain node of their choosing:
        </p>
        <pre className="overflow-x-auto rounded bg-white p-3 text-sm">
          <code>{`npm run sealbook -- monitor --portal https://this-portal --rpc https://your-node \\
  --registry ${check.chain.registry ?? "0xREGISTRY"} --state watch.json --receipts receipts/ --interval 300`}</code>
        </pre>
        <p>
          If you submitted records, keep the receipts the ledger gave you: put them in that folder, and the watchdog raises the alarm if one
          of them is not sealed in time. <Link className="link" href="/verify">Verify a single record</Link> in your browser.
        </p>
      </TrustNote>
    </>
  );
}
