import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { CertificateView } from "@/components/certificate/certificate-view";
import { readCertificateFacts } from "@/lib/portal/certificate";
import { entryPageUrl } from "@/lib/portal/entry-links";
import { entryHashFromSegment } from "@/lib/portal/params";
import { requestOrigin } from "@/lib/portal/request-origin";
import { getLedger, readLedger } from "@/lib/server/runtime";

// A pending entry becomes sealed, then anchored: read fresh on every request.
export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Verification certificate" };

export default async function CertificatePage({ params }: { params: Promise<{ entryHash: string }> }) {
  const entryHash = entryHashFromSegment((await params).entryHash);
  if (!entryHash) notFound();
  const facts = await readLedger((ledger) => readCertificateFacts(ledger, entryHash), (f) => f !== null && f.stage !== "pending");
  if (!facts) notFound();
  const ledger = await getLedger();
  const pageUrl = entryPageUrl(requestOrigin(await headers(), "http://localhost"), entryHash);
  return <CertificateView facts={facts} ledgerId={ledger.ledgerId} pageUrl={pageUrl} />;
}
