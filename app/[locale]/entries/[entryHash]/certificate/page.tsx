import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { CertificateView } from "@/components/certificate/certificate-view";
import { readCertificateFacts } from "@/lib/portal/certificate";
import { entryPageUrl } from "@/lib/portal/entry-links";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";
import { entryHashFromSegment } from "@/lib/portal/params";
import { requestOrigin } from "@/lib/portal/request-origin";
import { getRuntime, readLedger } from "@/lib/server/runtime";

// A pending entry becomes sealed, then anchored: read fresh on every request.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string; entryHash: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "certificate");
  return { title: t("metaTitle") };
}

/** The printable verification certificate of one entry (one A4 page on paper). */
export default async function CertificatePage({ params }: Props) {
  const locale = await pageLocale(params);
  const entryHash = entryHashFromSegment((await params).entryHash);
  if (!entryHash) notFound();
  // A replica may lag behind a seal or an anchor: only an anchored answer is taken from it, the rest is asked of the primary.
  const facts = await readLedger((ledger) => readCertificateFacts(ledger, entryHash), (f) => f?.stage === "anchored");
  if (!facts) notFound();
  const { ledgerId } = (await getRuntime()).ledger;
  // The address in the QR code and under it: unprefixed, so whoever scans it reads the page in their own language.
  const pageUrl = entryPageUrl(requestOrigin(await headers(), "http://localhost"), entryHash);
  return <CertificateView facts={facts} ledgerId={ledgerId} pageUrl={pageUrl} locale={locale} t={await translator(locale, "certificate")} />;
}
