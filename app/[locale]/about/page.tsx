import type { Metadata } from "next";
import type { ReactNode } from "react";
import { PageIntro } from "@/components/ui/page-intro";
import { Link } from "@/lib/portal/i18n/navigation";
import { pageLocale } from "@/lib/portal/i18n/page-locale";
import { translator } from "@/lib/portal/i18n/translator";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await translator(await pageLocale(params), "about");
  return { title: t("metaTitle"), description: t("metaDescription") };
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} id={id} className="mt-10 max-w-3xl scroll-mt-6">
      <h2 id={`${id}-heading`} className="text-2xl font-semibold">
        {title}
      </h2>
      <div className="mt-3 space-y-3 text-lg leading-relaxed text-slate-800">{children}</div>
    </section>
  );
}

const STEPS = ["signed", "accepted", "sealed", "anchored"] as const;
const GUARANTEES = ["noChange", "noRewrite", "noTrust", "dropped"] as const;
const LIMITS = ["truth", "neverSubmitted", "whoMaySign", "timing", "software", "notAnchored"] as const;
const BY_HAND = ["entry", "root", "proof", "chain"] as const;

export default async function AboutPage({ params }: Props) {
  const locale = await pageLocale(params);
  const t = await translator(locale, "about");
  const tags = {
    strong: (chunks: ReactNode) => <strong>{chunks}</strong>,
    code: (chunks: ReactNode) => <code className="font-mono">{chunks}</code>,
    verify: (chunks: ReactNode) => (
      <Link className="link" href="/verify">
        {chunks}
      </Link>
    ),
    api: (chunks: ReactNode) => (
      <Link className="link" href="/api">
        {chunks}
      </Link>
    ),
  };
  return (
    <>
      <PageIntro title={t("title")}>
        <p>{t("intro")}</p>
      </PageIntro>

      <Section id="published" title={t("published.title")}>
        <p>{t.rich("published.p1", tags)}</p>
        <p>{t("published.p2")}</p>
      </Section>

      <Section id="life" title={t("life.title")}>
        <ol className="space-y-3">
          {STEPS.map((step, i) => (
            <li key={step} className="flex gap-4 rounded-lg border border-slate-200 bg-white p-4">
              <span aria-hidden="true" className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-blue-800 font-bold text-white">
                {i + 1}
              </span>
              <p>
                <strong>{t(`life.${step}.title`)}.</strong> {t(`life.${step}.text`)}
              </p>
            </li>
          ))}
        </ol>
      </Section>

      <Section id="guarantees" title={t("guarantees.title")}>
        <ul className="list-disc space-y-2 pl-6">
          {GUARANTEES.map((item) => (
            <li key={item}>{t.rich(`guarantees.${item}`, tags)}</li>
          ))}
        </ul>
      </Section>

      <Section id="limits" title={t("limits.title")}>
        <ul className="list-disc space-y-2 pl-6">
          {LIMITS.map((item) => (
            <li key={item}>{t.rich(`limits.${item}`, tags)}</li>
          ))}
        </ul>
      </Section>

      <Section id="check-by-hand" title={t("byHand.title")}>
        <p>{t("byHand.intro")}</p>
        <ul className="list-disc space-y-2 pl-6 text-base">
          {BY_HAND.map((item) => (
            <li key={item}>{t.rich(`byHand.${item}`, tags)}</li>
          ))}
        </ul>
        <p>{t.rich("byHand.downloads", tags)}</p>
      </Section>
    </>
  );
}
