import { useLocale, useTranslations } from "next-intl";
import type { StepResult } from "@/lib/protocol/bundle";
import { isNotYetAnchored } from "@/lib/portal/verdict";
import { StatusBadge, type Tone } from "../ui/status-badge";

type StepState = "pass" | "fail" | "skipped" | "not_yet";

function presentation(step: StepResult): { tone: Tone; state: StepState } {
  if (isNotYetAnchored(step)) return { tone: "warn", state: "not_yet" };
  if (step.status === "pass") return { tone: "good", state: "pass" };
  if (step.status === "fail") return { tone: "bad", state: "fail" };
  return { tone: "neutral", state: "skipped" };
}

/**
 * The verification steps in order, each with its outcome and its plain-language sentence. The
 * checks write their sentences in English (lib/protocol, lib/portal/verify-flow.ts); in another
 * language each step is said by its id and outcome (verify.steps.<id>.<state>), and the checks'
 * own sentence follows as the technical detail, marked as English.
 */
export function StepList({ steps, height }: { steps: StepResult[]; height: number }) {
  const t = useTranslations("verify.steps");
  const locale = useLocale();
  const h = String(height);
  return (
    <ol className="space-y-3">
      {steps.map((step, index) => {
        const { tone, state } = presentation(step);
        const sentenceKey = `${step.step}.${state}`;
        const translated = locale !== "en" && t.has(sentenceKey) ? t(sentenceKey, { height: h, previous: String(height - 1) }) : null;
        return (
          <li key={`${step.step}-${index}`} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="verify-step" data-step={step.step} data-status={state}>
            <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
              <StatusBadge tone={tone}>{t(`state.${state}`)}</StatusBadge>
              <h3 className="font-semibold text-slate-900">
                <span className="sr-only">{t("stepN", { n: index + 1 })} </span>
                {t(`${step.step}.title`, { height: h })}
              </h3>
            </div>
            {translated ? <p className="mt-2 text-slate-800">{translated}</p> : null}
            <p className={translated ? "mt-1 text-sm text-slate-700" : "mt-2 text-slate-800"} data-testid="verify-step-message">
              {translated ? <span className="sr-only">{t("detail")} </span> : null}
              <span lang={translated ? "en" : undefined}>{step.message}</span>
            </p>
            {step.expected !== undefined || step.computed !== undefined ? (
              <dl className="mt-2 grid gap-1 text-sm sm:grid-cols-[8rem_1fr]">
                {step.expected !== undefined ? (
                  <>
                    <dt className="font-semibold text-slate-700">{t("expected")}</dt>
                    <dd className="hash">{step.expected}</dd>
                  </>
                ) : null}
                {step.computed !== undefined ? (
                  <>
                    <dt className="font-semibold text-slate-700">{t("found")}</dt>
                    <dd className="hash">{step.computed}</dd>
                  </>
                ) : null}
              </dl>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
