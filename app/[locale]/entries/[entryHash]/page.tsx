import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CertificateLink } from "@/components/certificate/certificate-link";
import { DateTime } from "@/components/ui/date-time";
import { FieldList } from "@/components/ui/field-list";
import { HashValue } from "@/components/ui/hash-value";
import { PageIntro } from "@/components/ui/page-intro";
import { StatusBadge } from "@/components/ui/status-badge";
import { TrustNote } from "@/components/ui/trust-note";
import { getBlock, getEntryStatus } from "@/lib/ledger/reads";
import { evidenceFileName } from "@/lib/protocol/evidence";
import { entryHashFromSegment } from "@/lib/portal/params";
import { getLedger } from "@/lib/server/runtime";

// A pending entry becomes sealed, then anchored: read fresh on every request.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Entry" };

export default async function EntryPage({ params }: { params: Promise<{ entryHash: string }> }) {
  const entryHash = entryHashFromSegment((await params).entryHash);
  if (!entryHash) notFound();
  const ledger = await getLedger();
  const status = await getEntryStatus(ledger, entryHash);
  if (!status) notFound();
  const block = status.status === "sealed" ? await getBlock(ledger, status.height) : null;

  return (
    <>
      <PageIntro title="Entry" eyebrow={status.status === "sealed" ? `Sealed in block ${status.height}` : "Waiting to be sealed"}>
        <p>
          An entry is the fingerprint of one signed record. The record itself stays with the people who hold it; this page tells you
          where its fingerprint stands in the ledger.
        </p>
      </PageIntro>

      <FieldList
        fields={[
          { label: "Entry hash", value: <HashValue value={entryHash} label="entry hash" /> },
          {
            label: "Status",
            value:
              status.status === "sealed" ? (
                <span data-testid="entry-status" data-status="sealed">
                  <StatusBadge tone="good">Sealed in block {status.height}</StatusBadge>
                </span>
              ) : (
                <span data-testid="entry-status" data-status="pending">
                  <StatusBadge tone="warn">Pending</StatusBadge>
                </span>
              ),
            hint:
              status.status === "sealed"
                ? `It is leaf number ${status.leafIndex} of the block’s Merkle tree.`
                : "The ledger accepted this record and promised to seal it into the next block. Until then there is no proof yet; come back in a minute.",
          },
          { label: "Accepted", value: <DateTime at={status.acceptedAt} /> },
          ...(status.status === "sealed" && block
            ? [
                {
                  label: "Block",
                  value: (
                    <Link className="link" href={`/blocks/${block.height}`}>
                      Block {block.height}
                    </Link>
                  ),
                  hint: (
                    <>
                      Sealed <DateTime at={block.sealedAt} />.
                    </>
                  ),
                },
                {
                  label: "On the blockchain",
                  value: block.anchor ? <StatusBadge tone="good">Anchored</StatusBadge> : <StatusBadge tone="warn">Not anchored yet</StatusBadge>,
                  hint: block.anchor ? (
                    <>
                      Transaction <code className="hash">{block.anchor.txHash}</code> on chain {block.anchor.chainId}.
                    </>
                  ) : (
                    "The block’s root will be written on the blockchain shortly."
                  ),
                },
              ]
            : []),
        ]}
      />

      <div className="mt-6 flex flex-wrap gap-3">
        {status.status === "sealed" ? (
          <>
          <Link href={`/verify?entry=${entryHash}`} className="rounded bg-blue-800 px-4 py-2 font-semibold text-white hover:bg-blue-900">
            Verify this entry in your browser
          </Link>
          <a
            href={`/api/v1/proofs/${entryHash}`}
            download={`proof-${entryHash}.json`}
            className="rounded border border-slate-300 bg-white px-4 py-2 font-semibold text-blue-900 hover:bg-slate-100"
          >
            Download the proof bundle (JSON)
          </a>
          {block?.anchor ? (
            <a
              href={`/api/v1/evidence/${entryHash}`}
              download={evidenceFileName(`evidence-${entryHash.slice(0, 18)}`)}
              data-testid="evidence-download"
              className="rounded border border-slate-300 bg-white px-4 py-2 font-semibold text-blue-900 hover:bg-slate-100"
            >
              Download the evidence bundle
            </a>
          ) : null}
          </>
        ) : null}
        <CertificateLink entryHash={entryHash} />
      </div>

      <TrustNote>
        <p>
          The proof bundle holds the few hashes that lead from this entry to its block’s root. Keep it: with the bundle and the public
          blockchain, anyone can check later that this entry was sealed in this block, even if this portal disappears.
        </p>
        <p>
          The evidence bundle (PROTOCOL §8, <code>.sealbook.json</code>) holds all of it in one file for an investigation: the proof,
          the acceptance receipt, the signer’s key and the chain of blocks up to an anchored one. It does not hold the record itself.
          Check it on the <Link className="link" href="/verify">verify page</Link> or with <code>sealbook verify</code>.
        </p>
      </TrustNote>
    </>
  );
}
