import type { ReactNode } from "react";
import type { CertificateFacts } from "@/lib/portal/certificate";
import { entryPagePath, entryQrPath } from "@/lib/portal/entry-links";
import { formatInstant } from "@/lib/portal/format";
import { Link } from "@/lib/portal/i18n/navigation";
import type { Locale } from "@/lib/portal/i18n/routing";
import type { Translate } from "@/lib/portal/i18n/translator";
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
const strong = (chunks: ReactNode) => <strong>{chunks}</strong>;

/**
 * A printable verification certificate for one entry: where it stands (pending, sealed, anchored)
 * and what is still missing, the block and the blockchain transaction, a QR code to its public page,
 * and what this proves and what it does not. One A4 page on paper (certificate.css).
 */
export function CertificateView({ facts, ledgerId, pageUrl, locale, t }: { facts: CertificateFacts; ledgerId: string; pageUrl: string; locale: Locale; t: Translate }) {
  const { entryHash } = facts;
  const block = facts.stage === "pending" ? null : facts.block;
  const anchor = facts.stage === "pending" ? null : facts.anchor;
  const at = (date: Date) => <time dateTime={date.toISOString()}>{formatInstant(date, locale)}</time>;
  const missing = (key: string) => <span data-testid="certificate-missing">{t(key)}</span>;
  return (
    <article
      className="certificate mx-auto max-w-3xl rounded-lg border border-slate-300 bg-white p-5 sm:p-8 print:max-w-none print:rounded-none print:border-0 print:p-0"
      data-testid="certificate"
      data-stage={facts.stage}
    >
      <p className="text-sm font-semibold uppercase tracking-wide text-slate-600">{t("eyebrow", { ledgerId })}</p>
      <h1 className="text-3xl font-bold tracking-tight print:text-2xl">{t("title")}</h1>
      <p className="mt-2 text-slate-700">{t("intro")}</p>

      <p
        className={`mt-4 rounded border p-3 ${facts.stage === "anchored" ? "border-emerald-300 bg-emerald-50 text-emerald-950" : "border-amber-300 bg-amber-50 text-amber-950"}`}
        data-testid="certificate-status"
      >
        {t.rich(`status.${facts.stage}`, { height: block?.height ?? 0, strong })}
      </p>

      <div className="mt-5 grid gap-6 sm:grid-cols-[1fr_auto] print:grid-cols-[1fr_auto]">
        <dl className="divide-y divide-slate-200">
          <Field label={t("fields.entryHash")}>
            <Hash value={entryHash} />
            <p className="text-sm text-slate-600">{t("fields.entryHashHint")}</p>
          </Field>
          <Field label={t("fields.accepted")}>{at(facts.acceptedAt)}</Field>
          <Field label={t("fields.block")}>
            {block
              ? t("fields.blockValue", { height: block.height, count: block.entryCount, sealedAt: formatInstant(block.sealedAt, locale) })
              : missing("fields.missingBlock")}
          </Field>
          {block ? (
            <Field label={t("fields.root")}>
              <Hash value={block.root} />
            </Field>
          ) : null}
          <Field label={t("fields.blockchain")}>
            {anchor ? (
              <>
                {t("fields.blockchainValue", { chainId: anchor.chainId })} <Hash value={anchor.registry} />
              </>
            ) : (
              missing("fields.missingAnchor")
            )}
          </Field>
          <Field label={t("fields.transaction")}>
            {anchor ? (
              <>
                <Hash value={anchor.txHash} />
                <div>
                  {t("fields.transactionBlock", { blockNumber: anchor.blockNumber })}
                  {anchor.anchoredAt ? `, ${t("fields.anchoredAt", { anchoredAt: formatInstant(anchor.anchoredAt, locale) })}` : null}
                </div>
              </>
            ) : (
              missing("fields.missingTransaction")
            )}
          </Field>
        </dl>
        <figure className="flex flex-col items-center gap-2 sm:w-48 print:w-44">
          {/* An immutable SVG the portal serves itself: nothing for next/image to optimise. */}
          {/* eslint-disable-next-line @next/next/no-img-element */}
          <img src={entryQrPath(entryHash)} alt={t("qr.alt", { url: pageUrl })} width={176} height={176} className="h-44 w-44" data-testid="certificate-qr" />
          <figcaption className="text-center text-sm text-slate-700">
            {t("qr.caption")}
            <br />
            <span className="hash text-xs" data-testid="certificate-url">
              {pageUrl}
            </span>
          </figcaption>
        </figure>
      </div>

      <section className="mt-5 grid gap-3 rounded bg-slate-50 p-4 print:bg-transparent print:p-0" aria-label={t("meaning.label")} data-testid="certificate-meaning">
        <p>
          <strong>{t("meaning.provesTitle")}</strong> {t("meaning.proves")}
        </p>
        <p>
          <strong>{t("meaning.notProvesTitle")}</strong> {t("meaning.notProves")}
        </p>
      </section>

      <div className="mt-6 flex flex-wrap items-center gap-4 print:hidden">
        <PrintButton label={t("print")} />
        <Link className="link" href={entryPagePath(entryHash)}>
          {t("backToEntry")}
        </Link>
        {block ? (
          <Link className="link" href={`/verify?entry=${entryHash}`}>
            {t("verify")}
          </Link>
        ) : null}
      </div>
    </article>
  );
}
