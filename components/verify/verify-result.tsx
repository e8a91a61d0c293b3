import { useTranslations } from "next-intl";
import type { ReactNode, Ref } from "react";
import { Link } from "@/lib/portal/i18n/navigation";
import type { VerifyOutcome } from "@/lib/portal/verify-flow";
import { StepList } from "./step-list";

/** Each verdict's colours; its words are in verify.verdict.<verdict>. */
const VERDICT_BOX = {
  verified: "border-emerald-300 bg-emerald-50 text-emerald-950",
  incomplete: "border-amber-300 bg-amber-50 text-amber-950",
  failed: "border-red-300 bg-red-50 text-red-950",
} as const;

/** The verifier's answer: the verdict, then every step; or why there was nothing to check. */
export function VerifyResult({
  outcome,
  headingId,
  headingRef,
  rpcUrl,
}: {
  outcome: VerifyOutcome;
  headingId: string;
  headingRef: Ref<HTMLHeadingElement>;
  rpcUrl: string;
}) {
  const t = useTranslations("verify.result");
  const v = useTranslations("verify.verdict");
  if (outcome.kind === "pending") {
    return (
      <Notice tone="border-amber-300 bg-amber-50 text-amber-950" headingId={headingId} headingRef={headingRef} title={t("pendingTitle")} testState="pending">
        {outcome.acceptedAt ? t("pendingAt", { at: new Date(outcome.acceptedAt) }) : t("pending")}
      </Notice>
    );
  }
  if (outcome.kind === "unknown") {
    return (
      <Notice tone="border-red-300 bg-red-50 text-red-950" headingId={headingId} headingRef={headingRef} title={t("unknownTitle")} testState="unknown">
        {t.rich("unknown", { hash: () => <code className="hash">{outcome.entryHash}</code> })}
      </Notice>
    );
  }
  if (outcome.kind === "lookup_failed") {
    return (
      <Notice tone="border-red-300 bg-red-50 text-red-950" headingId={headingId} headingRef={headingRef} title={t("lookupFailedTitle")} testState="lookup_failed">
        {outcome.message}
      </Notice>
    );
  }
  const { height } = outcome.bundle.block;
  return (
    <div className="grid gap-4">
      <div className={`rounded-lg border p-4 ${VERDICT_BOX[outcome.verdict]}`} data-testid="verify-verdict" data-verdict={outcome.verdict}>
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-2xl font-bold">
          {v(`${outcome.verdict}.title`)}
        </h2>
        <p className="mt-1">{v(`${outcome.verdict}.text`)}</p>
        {outcome.verdict !== "failed" && !outcome.steps.some((s) => s.step === "entry_hash") ? (
          <p className="mt-1 text-sm">{t("proofNotRecord")}</p>
        ) : null}
        <p className="mt-2 text-sm">
          {t.rich("entryIn", {
            height: String(height),
            hash: () => <code className="hash">{outcome.entryHash}</code>,
            link: (chunks) => (
              <Link className="underline" href={`/blocks/${height}`}>
                {chunks}
              </Link>
            ),
          })}
        </p>
      </div>
      <StepList steps={outcome.steps} height={height} />
      <p className="text-sm text-slate-700">
        {rpcUrl
          ? t.rich("sentWithNode", { node: () => <span className="break-all">{rpcUrl}</span>, previous: String(height - 1), height: String(height) })
          : t("sent")}
      </p>
    </div>
  );
}

function Notice({
  tone,
  title,
  headingId,
  headingRef,
  testState,
  children,
}: {
  tone: string;
  title: string;
  headingId: string;
  headingRef: Ref<HTMLHeadingElement>;
  testState: string;
  children: ReactNode;
}) {
  return (
    <div className={`rounded-lg border p-4 ${tone}`} data-testid="verify-verdict" data-verdict={testState}>
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-2xl font-bold">
        {title}
      </h2>
      <p className="mt-1">{children}</p>
    </div>
  );
}
