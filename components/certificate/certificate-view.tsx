import type { ReactNode } from "react";
import Link from "next/link";
import { DateTime } from "@/components/ui/date-time";
import type { CertificateFacts } from "@/lib/portal/certificate";
import { entryPagePath, entryQrPath } from "@/lib/portal/entry-links";
import { PrintButton } from "./print-button";
import "./certificate.css";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="grid gap-0.5 py-1.5 sm:grid-cols-[10rem_1fr] sm:gap-3 print:grid-cols-[9rem_1fr] print:gap-3 print:py-1">
      <dt className="font-semibold text-slate-800">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

const Hash = ({ value }: { value: string }) => <code className="hash text-sm">{value}</code>;

/**
 * A printable verification certificate for one entry: where it stands (pending, sealed, anchored)
 * and what is still missing, the block and the blockchain transaction, a QR code to its public page,
 * and what this proves and what it does not. One A4 page on paper (certificate.css).
 */
export function CertificateView({ facts, ledgerId, pageUrl }: { facts: CertificateFacts; ledgerId: string; pageUrl: string }) {
  const { entryHash } = facts;
  const block = facts.stage === "pending" ? null : facts.block;
  const anchor = facts.stage === "pending" ? null : facts.anchor;
  return (
    <article className="certificate mx-auto max-w-3xl rounded-lg border border-slate-300 bg-white p-5 sm:p-8 print:max-w-none print:rounded-none print:border-0 print:p-0" data-testid="certificate" data-stage={facts.stage}>
      <p className="text-sm font-semibold uppercase tracking-wide text-slate-600">Sealbook ledger “{ledgerId}”</p>
      <h1 className="text-3xl font-bold tracking-tight print:text-2xl">Verification certificate</h1>
      <p className="mt-2 text-slate-700">
        This page records where one signed record stands in a public ledger that cannot be changed quietly, and how anyone can check it.
      </p>

      <p
        className={`mt-4 rounded border p-3 ${facts.stage === "anchored" ? "border-emerald-300 bg-emerald-50 text-emerald-950" : "border-amber-300 bg-amber-50 text-amber-950"}`}
        data-testid="certificate-status"
      >
        {facts.stage === "anchored" && block ? (
          <>
            <strong>Sealed and anchored.</strong> The record’s fingerprint is in block {block.height}, and that block’s fingerprint is written on a public blockchain.
          </>
        ) : null}
        {facts.stage === "sealed" && block ? (
          <>
            <strong>Sealed, not anchored yet.</strong> The record is in block {block.height}, but the block’s fingerprint is not written on the blockchain yet, so the
            blockchain transaction is missing. Print this certificate again later.
          </>
        ) : null}
        {facts.stage === "pending" ? (
          <>
            <strong>Not sealed yet.</strong> The ledger accepted the record but has not put it in a block: there is no block, no blockchain transaction and no proof
            yet. Print this certificate again in a few minutes.
          </>
        ) : null}
      </p>

      <div className="mt-5 grid gap-6 sm:grid-cols-[1fr_auto] print:grid-cols-[1fr_auto]">
        <dl className="divide-y divide-slate-200">
          <Field label="Entry hash">
            <Hash value={entryHash} />
            <p className="text-sm text-slate-600">The record’s fingerprint: it changes completely if one character of the record changes.</p>
          </Field>
          <Field label="Accepted">
            <DateTime at={facts.acceptedAt} />
          </Field>
          <Field label="Block">
            {block ? (
              <>
                Block {block.height}, sealed <DateTime at={block.sealedAt} /> with {block.entryCount} records
                <div>
                  Root <Hash value={block.root} />
                </div>
              </>
            ) : (
              <span data-testid="certificate-missing">Missing: not sealed in a block yet</span>
            )}
          </Field>
          <Field label="Blockchain">
            {anchor ? (
              <>
                Chain {anchor.chainId}, registry contract <Hash value={anchor.registry} />
              </>
            ) : (
              <span data-testid="certificate-missing">Missing: not anchored yet</span>
            )}
          </Field>
          <Field label="Transaction">
            {anchor ? (
              <>
                <Hash value={anchor.txHash} />
                <div>
                  In chain block {anchor.blockNumber}
                  {anchor.anchoredAt ? (
                    <>
                      , anchored <DateTime at={anchor.anchoredAt} />
                    </>
                  ) : null}
                </div>
              </>
            ) : (
              <span data-testid="certificate-missing">Missing: no transaction yet</span>
            )}
          </Field>
        </dl>
        <figure className="flex flex-col items-center gap-2 sm:w-48 print:w-44">
          {/* eslint-disable-next-line @next/next/no-img-element -- an immutable SVG served by the portal; nothing to optimise */}
          <img src={entryQrPath(entryHash)} alt={`QR code of this record’s public page, ${pageUrl}`} width={176} height={176} className="h-44 w-44" data-testid="certificate-qr" />
          <figcaption className="text-center text-sm text-slate-700">
            Scan to check it online:
            <br />
            <span className="hash text-xs" data-testid="certificate-url">
              {pageUrl}
            </span>
          </figcaption>
        </figure>
      </div>

      <section className="mt-5 grid gap-3 rounded bg-slate-50 p-4 print:bg-transparent print:p-0" aria-label="What this proves">
        <p>
          <strong>What this proves.</strong> A record with exactly this fingerprint was accepted by the ledger at the time shown and has not been changed or removed
          since: changing it would change its fingerprint and break its link to the block written on the blockchain.
        </p>
        <p>
          <strong>What it does not prove.</strong> It does not show what the record says or that its content is true, and this paper is not the proof itself: the
          proof is checked by scanning the code, or on the portal’s verify page, against the public blockchain.
        </p>
      </section>

      <div className="mt-6 flex flex-wrap items-center gap-4 print:hidden">
        <PrintButton label="Print or save as PDF" />
        <Link className="link" href={entryPagePath(entryHash)}>
          Back to the entry
        </Link>
        {block ? (
          <Link className="link" href={`/verify?entry=${entryHash}`}>
            Verify it in your browser
          </Link>
        ) : null}
      </div>
    </article>
  );
}
