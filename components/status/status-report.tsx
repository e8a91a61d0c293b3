import type { ReactNode } from "react";
import { DateTime } from "../ui/date-time";
import { HashValue } from "../ui/hash-value";
import { PageIntro } from "../ui/page-intro";
import { StatusBadge } from "../ui/status-badge";
import { TrustNote } from "../ui/trust-note";
import { formatCount, formatDuration } from "@/lib/portal/format";
import { Link } from "@/lib/portal/i18n/navigation";
import type { Locale } from "@/lib/portal/i18n/routing";
import { translator, type Translate } from "@/lib/portal/i18n/translator";
import type { Finding } from "@/lib/watchdog/findings";
import { getSelfCheck, type SelfCheck } from "@/lib/watchdog/self-check";

const TONE: Record<SelfCheck["outcome"], "good" | "bad" | "warn" | "neutral"> = {
  consistent: "good",
  findings: "bad",
  unreachable: "warn",
  not_configured: "neutral",
  pending: "neutral",
};

/** A text the checks wrote in English (a finding's detail, a note): marked as English on a page in another language. */
function English({ locale, children }: { locale: Locale; children: ReactNode }) {
  return locale === "en" ? <>{children}</> : <span lang="en">{children}</span>;
}

function FindingItem({ finding, t, locale }: { finding: Finding; t: Translate; locale: Locale }) {
  return (
    <li className="rounded-lg border border-red-200 bg-white p-4" data-testid="status-finding" data-kind={finding.kind}>
      <p className="font-semibold text-red-900">
        {finding.height !== undefined ? (
          <>
            <Link className="link" href={`/blocks/${finding.height}`} locale={locale}>
              {t("blockN", { height: String(finding.height) })}
            </Link>
            {": "}
          </>
        ) : null}
        {t(`finding.${finding.kind}`)}
      </p>
      <p className="mt-1 text-sm text-slate-700">
        <English locale={locale}>{finding.message}</English>
      </p>
      {finding.entryHash ? (
        <p className="mt-2 text-sm">
          {t("entry")} <HashValue value={finding.entryHash} label={t("entryHashLabel")} />
        </p>
      ) : null}
      {finding.expected !== undefined || finding.found !== undefined ? (
        <dl className="mt-2 grid gap-1 text-sm sm:grid-cols-[8rem_1fr]">
          <dt className="font-semibold">{t("expected")}</dt>
          <dd className="hash break-all">{finding.expected ?? "—"}</dd>
          <dt className="font-semibold">{t("found")}</dt>
          <dd className="hash break-all">{finding.found ?? "—"}</dd>
        </dl>
      ) : null}
      <p className="mt-2 text-xs text-slate-600">{t("findingType", { kind: finding.kind })}</p>
    </li>
  );
}

/**
 * The portal's own consistency check (lib/watchdog/self-check.ts) in plain words, in `locale`.
 * Apart from the page so that it can be rendered outside Next.js (test/watchdog/status.test.ts).
 */
export async function StatusReport({ locale }: { locale: Locale }) {
  const t = await translator(locale, "status");
  const check = await getSelfCheck();
  const tone = TONE[check.outcome];
  const s = check.summary;
  const count = (n: number) => formatCount(n, locale);
  return (
    <>
      <PageIntro title={t("title")}>
        <p>{t("intro")}</p>
      </PageIntro>

      <section aria-labelledby="verdict-heading" className="max-w-3xl rounded-lg border border-slate-200 bg-white p-5" data-testid="status-verdict" data-outcome={check.outcome}>
        <h2 id="verdict-heading" className="flex flex-wrap items-center gap-3 text-2xl font-semibold">
          <StatusBadge tone={tone}>{t(`headline.${check.outcome}`)}</StatusBadge>
        </h2>
        <div className="mt-3 space-y-2 text-lg leading-relaxed">
          {check.outcome === "consistent" && s ? (
            <p>
              {t.rich("consistent", {
                since: () => (check.consistentSince ? <DateTime at={check.consistentSince} /> : t("now")),
                known: count(s.knownBlocks),
                anchored: count(Math.min(s.chainHeight, s.head)),
              })}
              {s.deferredBlocks > 0 ? ` ${t("deferred", { count: s.deferredBlocks, formatted: count(s.deferredBlocks) })}` : ""}
            </p>
          ) : null}
          {check.outcome === "findings" ? (
            <p>{t("findings", { count: check.findings.length })}</p>
          ) : null}
          {check.outcome === "unreachable" || check.outcome === "not_configured" ? (
            <p>
              {t(`reason.${check.outcome}`)} {check.reason ? <English locale={locale}>{check.reason}</English> : null}
            </p>
          ) : null}
          {check.outcome === "pending" ? <p>{t("pending")}</p> : null}
          {check.checkedAt ? (
            <p className="text-base text-slate-700">
              {t.rich("checked", { at: () => <DateTime at={check.checkedAt!} />, ago: formatDuration(Date.now() - check.checkedAt.getTime(), locale) })}
            </p>
          ) : null}
        </div>
        {check.chain.registry ? (
          <p className="mt-3 text-sm text-slate-700">
            {t("chain", { chain: String(check.chain.chainId ?? "?") })} <HashValue value={check.chain.registry} label={t("registryLabel")} />
          </p>
        ) : null}
      </section>

      {check.findings.length > 0 ? (
        <section aria-labelledby="findings-heading" className="mt-8 max-w-3xl">
          <h2 id="findings-heading" className="text-2xl font-semibold">
            {t("whatWasFound")}
          </h2>
          <ul className="mt-4 space-y-3">
            {check.findings.map((f, i) => (
              <FindingItem key={`${f.kind}-${f.height ?? ""}-${f.entryHash ?? ""}-${i}`} finding={f} t={t} locale={locale} />
            ))}
          </ul>
        </section>
      ) : null}

      {check.notes.length > 0 ? (
        <section aria-labelledby="notes-heading" className="mt-8 max-w-3xl">
          <h2 id="notes-heading" className="text-xl font-semibold">
            {t("worthKnowing")}
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-6 text-slate-800">
            {check.notes.map((note) => (
              <li key={note}>
                <English locale={locale}>{note}</English>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <TrustNote title={t("trustTitle")}>
        <p>{t("trust1")}</p>
        <pre className="overflow-x-auto rounded bg-white p-3 text-sm" tabIndex={0} aria-label={t("commandLabel")}>
          <code>{`npm run sealbook -- monitor --portal https://this-portal --rpc https://your-node \\
  --registry ${check.chain.registry ?? "0xREGISTRY"} --state watch.json --receipts receipts/ --interval 300`}</code>
        </pre>
        <p>
          {t.rich("trust2", {
            link: (chunks) => (
              <Link className="link" href="/verify" locale={locale}>
                {chunks}
              </Link>
            ),
          })}
        </p>
      </TrustNote>
    </>
  );
}
