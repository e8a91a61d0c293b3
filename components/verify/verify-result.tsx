import Link from "next/link";
import type { ReactNode, Ref } from "react";
import type { VerifyOutcome } from "@/lib/portal/verify-flow";
import { StepList } from "./step-list";

const VERDICTS = {
  verified: {
    box: "border-emerald-300 bg-emerald-50 text-emerald-950",
    title: "✓ Verified",
    text: "Every check passed: this entry is in its block, and the blockchain holds that block’s root.",
  },
  incomplete: {
    box: "border-amber-300 bg-amber-50 text-amber-950",
    title: "Partly verified",
    text: "Nothing failed, but not every check could be made. See the steps marked “Not checked” or “Not yet” below.",
  },
  failed: {
    box: "border-red-300 bg-red-50 text-red-950",
    title: "✗ Not verified",
    text: "At least one check failed. Do not rely on this proof; the failed step below says what did not match.",
  },
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
  if (outcome.kind === "pending") {
    return (
      <Notice tone="border-amber-300 bg-amber-50 text-amber-950" headingId={headingId} headingRef={headingRef} title="Pending: accepted, not sealed yet" testState="pending">
        The ledger accepted this record{outcome.acceptedAt ? ` on ${new Date(outcome.acceptedAt).toUTCString()}` : ""} and promised to seal it
        into the next block, but it is not sealed yet, so there is no proof to check. Blocks are sealed every few seconds to minutes: try
        again shortly.
      </Notice>
    );
  }
  if (outcome.kind === "unknown") {
    return (
      <Notice tone="border-red-300 bg-red-50 text-red-950" headingId={headingId} headingRef={headingRef} title="Unknown: this ledger does not know this entry" testState="unknown">
        No record with the entry hash <code className="hash">{outcome.entryHash}</code> was ever accepted by this ledger. If you hold a
        signed record, it was never submitted here, or it was changed after it was submitted.
      </Notice>
    );
  }
  if (outcome.kind === "lookup_failed") {
    return (
      <Notice tone="border-red-300 bg-red-50 text-red-950" headingId={headingId} headingRef={headingRef} title="The proof could not be fetched" testState="lookup_failed">
        {outcome.message}
      </Notice>
    );
  }
  const verdict = VERDICTS[outcome.verdict];
  const { height } = outcome.bundle.block;
  return (
    <div className="grid gap-4">
      <div className={`rounded-lg border p-4 ${verdict.box}`} data-testid="verify-verdict" data-verdict={outcome.verdict}>
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="text-2xl font-bold">
          {verdict.title}
        </h2>
        <p className="mt-1">{verdict.text}</p>
        {outcome.verdict !== "failed" && !outcome.steps.some((s) => s.step === "entry_hash") ? (
          <p className="mt-1 text-sm">
            This checked a proof, not a record. If you hold the signed record, paste it too: the verifier then also checks that it is
            this entry and that its signature is genuine.
          </p>
        ) : null}
        <p className="mt-2 text-sm">
          Entry <code className="hash">{outcome.entryHash}</code>, in{" "}
          <Link className="underline" href={`/blocks/${height}`}>
            block {height}
          </Link>
          .
        </p>
      </div>
      <StepList steps={outcome.steps} height={height} />
      <p className="text-sm text-slate-700">
        What your browser sent: at most the entry hash (to this portal, to fetch the proof and the signer directory)
        {rpcUrl ? (
          <>
            , and two questions to the blockchain node at <span className="break-all">{rpcUrl}</span>: the roots of blocks {height - 1} and {height}
          </>
        ) : null}
        . A signed record you pasted never left this page.
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
