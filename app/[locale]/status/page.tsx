import type { Metadata } from "next";
import { StatusReport } from "@/components/status/status-report";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "status");
  return { title: t("metaTitle"), description: t("metaDescription") };
}

// The answer changes with the ledger and the chain: rendered per request, from a result cached for 30 s.
export const dynamic = "force-dynamic";

export default async function StatusPage({ params }: Props) {
  return <StatusReport locale={await pageLocale(params)} />;
}
