import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ClientTexts } from "@/components/layout/client-texts";
import { PageIntro } from "@/components/ui/page-intro";
import { TrustNote } from "@/components/ui/trust-note";
import { Verifier } from "@/components/verify/verifier";
import { Link } from "@/lib/portal/i18n/navigation";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";
import { readChainSettings } from "@/lib/portal/page-reads";
import { HASH_ANY_CASE_PATTERN } from "@/lib/protocol/hex";
import { getRuntime } from "@/lib/server/runtime";

// Reads the chain settings of this deployment at request time.
export const dynamic = "force-dynamic";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ entry?: string | string[] }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "verify");
  return { title: t("page.metaTitle"), description: t("page.metaDescription") };
}

export default async function VerifyPage({ params, searchParams }: Props) {
  const locale = await pageLocale(params);
  const t = await translator(locale, "verify");
  const { entry } = await searchParams;
  const requested = Array.isArray(entry) ? entry[0] : entry;
  const initialEntry = requested && HASH_ANY_CASE_PATTERN.test(requested) ? requested.toLowerCase() : null;
  const runtime = await getRuntime();
  const { ledger } = runtime;
  const chain = await readChainSettings(runtime);
  const tags = {
    strong: (chunks: ReactNode) => <strong>{chunks}</strong>,
    signers: (chunks: ReactNode) => (
      <Link className="link" href="/signers">
        {chunks}
      </Link>
    ),
    about: (chunks: ReactNode) => (
      <Link className="link" href="/about">
        {chunks}
      </Link>
    ),
  };
  return (
    <>
      <PageIntro title={t("page.title")}>
        <p>{t("page.intro")}</p>
        <p className="text-base">{t("page.private")}</p>
      </PageIntro>
      <ClientTexts locale={locale} namespaces={["verify", "scan"]}>
        <Verifier
          defaultRpcUrl={chain.rpcUrl}
          rpcSuggestions={chain.rpcSuggestions}
          defaultRegistry={chain.registry}
          genesisRoot={ledger.genesisRoot}
          initialEntry={initialEntry}
        />
      </ClientTexts>
      <TrustNote title={t("page.trustTitle")}>
        <p>{t.rich("page.trust1", tags)}</p>
        <p>{t.rich("page.trust2", tags)}</p>
        <p>{t.rich("page.trust3", tags)}</p>
      </TrustNote>
    </>
  );
}
