"use client";

import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { guessInputKind } from "@/lib/portal/input-kind";
import { isHash } from "@/lib/protocol/hex";
import { ADDRESS_PATTERN } from "@/lib/protocol/wire/primitives";
import type { VerifyOutcome } from "@/lib/portal/verify-flow";
import { EvidenceResult, type EvidenceOutcome } from "./evidence-result";
import { QrScan } from "./qr-scan";
import { VerifyResult } from "./verify-result";

type Phase =
  | { kind: "idle" }
  | { kind: "running" }
  /** `key` names the sentence in verify.inputError; `detail` is the English detail from the checks, shown beside it. */
  | { kind: "input_error"; key: "notJson" | "unreadable" | "crashed" | "tooLarge"; values?: Record<string, string | number>; detail?: string }
  | { kind: "done"; outcome: VerifyOutcome; rpcUrl: string }
  | { kind: "evidence"; outcome: EvidenceOutcome };

/** The largest file the verifier reads: evidence bundles of many records are large. */
const MAX_FILE_BYTES = 128 * 1024 * 1024;

/**
 * The browser verifier (PROTOCOL §5). It reads a proof bundle, a signed record or an entry hash,
 * fetches only what it needs (the proof by entry hash, the signer directory), reads the roots from
 * the blockchain node the reader chooses, and runs the protocol's checks locally.
 *
 * The inputs have no `name`, so even a form submitted before the page is interactive sends nothing.
 */
export function Verifier({
  defaultRpcUrl,
  rpcSuggestions = [],
  defaultRegistry,
  genesisRoot,
  initialEntry,
}: {
  /** The node this portal publishes; null when it publishes none (the reader is then asked). */
  defaultRpcUrl: string | null;
  /** Public nodes of the ledger's chain, offered when the portal publishes none. */
  rpcSuggestions?: readonly string[];
  defaultRegistry: string | null;
  /** This ledger's genesis root: the trusted registry's rootOf(0) must equal it. */
  genesisRoot?: string | null;
  initialEntry: string | null;
}) {
  const t = useTranslations("verify.form");
  const errors = useTranslations("verify.inputError");
  const locale = useLocale();
  const ids = useId();
  const [text, setText] = useState(initialEntry ?? "");
  const [record, setRecord] = useState("");
  const [rpcUrl, setRpcUrl] = useState(defaultRpcUrl ?? rpcSuggestions[0] ?? "");
  const [registry, setRegistry] = useState(defaultRegistry ?? "");
  const [mirrorUrl, setMirrorUrl] = useState("");
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const isEvidence = text.includes('"sealbook.evidence"');
  const [ready, setReady] = useState(false);
  const resultHeading = useRef<HTMLHeadingElement>(null);
  const pasteBox = useRef<HTMLTextAreaElement>(null);
  const kind = guessInputKind(text);

  const run = useCallback(
    async (input: string) => {
      setPhase({ kind: "running" });
      const chosenRpcUrl = rpcUrl.trim();
      if (input.trimStart().startsWith("{") && input.includes('"sealbook.evidence"')) {
        const [{ looksLikeEvidenceBundle, parseEvidenceBundle }, { verifyEvidence }] = await Promise.all([import("@/lib/protocol/evidence"), import("@/lib/watchdog/evidence")]);
        let json: unknown = null;
        try {
          json = JSON.parse(input);
        } catch (error) {
          setPhase({ kind: "input_error", key: "notJson", detail: (error as Error).message });
          return;
        }
        if (looksLikeEvidenceBundle(json)) {
          let bundle;
          try {
            bundle = parseEvidenceBundle(json);
          } catch (error) {
            setPhase({ kind: "input_error", key: "unreadable", detail: (error as Error).message });
            return;
          }
          // The same procedure as `sealbook verify`, with the reader's own RPC endpoint.
          const report = await verifyEvidence(bundle, { rpcUrl: chosenRpcUrl || undefined });
          setPhase({ kind: "evidence", outcome: { ledgerId: bundle.ledgerId, items: bundle.items.length, report, rpcUrl: chosenRpcUrl } });
          return;
        }
      }
      const [{ readVerifyInput, VerifyInputError }, { verifyEntry }, portal] = await Promise.all([
        import("@/lib/portal/verify-input"),
        import("@/lib/portal/verify-flow"),
        import("@/lib/portal/portal-api"),
      ]);
      let parsed;
      try {
        parsed = readVerifyInput(input);
      } catch (error) {
        if (error instanceof VerifyInputError) {
          setPhase({ kind: "input_error", key: "unreadable", detail: error.message });
          return;
        }
        throw error;
      }
      const chosenRpc = rpcUrl.trim();
      const chosenMirror = mirrorUrl.trim();
      const trusted = ADDRESS_PATTERN.test(registry.trim()) ? (registry.trim() as `0x${string}`) : null;
      const outcome = await verifyEntry(
        parsed,
        {
          fetchProof: chosenMirror ? (await import("@/lib/portal/mirror-lookup")).fetchProofFromMirror(chosenMirror) : portal.fetchProofFromPortal,
          fetchSigners: portal.fetchSignersFromPortal,
          registryReader: async (address) => {
            if (!chosenRpc) return null;
            const { createRegistryReader } = await import("@/lib/chain/registry/reader");
            return createRegistryReader({ rpcUrl: chosenRpc, registry: address });
          },
        },
        {
          record: parsed.kind === "bundle" ? record : undefined,
          trustedRegistry: trusted,
          ...(isHash(genesisRoot) ? { genesisRoot } : {}),
        },
      );
      setPhase({ kind: "done", outcome, rpcUrl: chosenRpc });
    },
    [rpcUrl, registry, record, genesisRoot, mirrorUrl],
  );

  useEffect(() => {
    setReady(true);
  }, []);

  // Opened from an entry's page (/verify?entry=0x…): check it straight away.
  const started = useRef(false);
  useEffect(() => {
    if (ready && initialEntry && !started.current) {
      started.current = true;
      void run(initialEntry);
    }
  }, [ready, initialEntry, run]);

  useEffect(() => {
    if (phase.kind === "done" || phase.kind === "evidence" || phase.kind === "input_error") resultHeading.current?.focus();
  }, [phase]);

  async function runReported(input: string) {
    try {
      await run(input);
    } catch (error) {
      console.error("The verification could not run:", error);
      setPhase({ kind: "input_error", key: "crashed", detail: (error as Error).message });
    }
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await runReported(text);
  }

  /** A QR code was read: show what it named in the paste box, and check it straight away. */
  function onScanned(code: string) {
    setText(code);
    void runReported(code);
  }

  async function onFile(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setPhase({ kind: "input_error", key: "tooLarge", values: { name: file.name, size: Math.round(file.size / 1024 / 1024) } });
      return;
    }
    setText((await file.text()).trim());
  }

  return (
    <div className="grid gap-8">
      <form onSubmit={onSubmit} className="grid gap-5 rounded-lg border border-slate-200 bg-white p-4 sm:p-6" aria-label={t("label")}>
        <div>
          <label htmlFor={`${ids}-input`} className="block text-lg font-semibold">
            {t("what")}
          </label>
          <p id={`${ids}-input-help`} className="text-slate-700">
            {t.rich("whatHelp", { code: (chunks) => <code>{chunks}</code> })}
          </p>
          <div className="mt-2">
            <QrScan onCode={onScanned} onUnavailable={() => pasteBox.current?.focus()} disabled={!ready || phase.kind === "running"} />
          </div>
          <textarea
            ref={pasteBox}
            id={`${ids}-input`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby={`${ids}-input-help ${ids}-input-hint`}
            rows={6}
            spellCheck={false}
            autoComplete="off"
            className="mt-2 w-full rounded border border-slate-400 p-3 font-mono text-sm"
            data-testid="verify-input"
          />
          <p id={`${ids}-input-hint`} className="mt-1 min-h-6 text-sm text-slate-700" aria-live="polite">
            {text.trim() === "" ? "" : isEvidence ? t("hint.evidence") : kind ? t(`hint.${kind}`) : t("hint.none")}
          </p>
        </div>

        <div>
          <label htmlFor={`${ids}-file`} className="block font-semibold">
            {t("file")}
          </label>
          <input
            id={`${ids}-file`}
            type="file"
            accept=".json,.sealbook.json,.jws,.txt,application/json,application/vnd.sealbook.evidence+json,text/plain"
            onChange={(e) => void onFile(e.target.files?.[0])}
            className="mt-1 block w-full text-sm file:mr-3 file:rounded file:border file:border-slate-300 file:bg-slate-50 file:px-3 file:py-1.5 file:font-medium"
            data-testid="verify-file"
          />
          <p className="mt-1 text-sm text-slate-700">{t("fileHelp")}</p>
        </div>

        {kind === "bundle" && !isEvidence ? (
          <div>
            <label htmlFor={`${ids}-record`} className="block font-semibold">
              {t("record")}
            </label>
            <p id={`${ids}-record-help`} className="text-sm text-slate-700">
              {t("recordHelp")}
            </p>
            <textarea
              id={`${ids}-record`}
              value={record}
              onChange={(e) => setRecord(e.target.value)}
              aria-describedby={`${ids}-record-help`}
              rows={3}
              spellCheck={false}
              autoComplete="off"
              className="mt-2 w-full rounded border border-slate-400 p-3 font-mono text-sm"
            />
          </div>
        ) : null}

        {defaultRpcUrl === null ? (
          <p className="max-w-prose rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="verify-no-portal-rpc">
            {t("noPortalNode")} {rpcSuggestions.length > 0 ? t("noPortalNodeSuggested") : t("noPortalNodeEnter")}
          </p>
        ) : null}
        <details className="rounded border border-slate-200 p-3" open={defaultRpcUrl === null}>
          <summary className="cursor-pointer font-semibold text-blue-900">{t("connection")}</summary>
          <p className="mt-2 max-w-prose text-sm text-slate-700">
            {t("connectionHelp")}
          </p>
          <div className="mt-3 grid gap-3 md:grid-cols-2">
            <div>
              <label htmlFor={`${ids}-rpc`} className="block text-sm font-semibold">
                {t("rpc")}
              </label>
              <input
                id={`${ids}-rpc`}
                type="url"
                value={rpcUrl}
                onChange={(e) => setRpcUrl(e.target.value)}
                placeholder="https://…"
                autoComplete="off"
                list={rpcSuggestions.length > 0 ? `${ids}-rpc-suggestions` : undefined}
                className="mt-1 w-full rounded border border-slate-400 px-3 py-2 font-mono text-sm"
                data-testid="verify-rpc"
              />
              {rpcSuggestions.length > 0 ? (
                <datalist id={`${ids}-rpc-suggestions`}>
                  {rpcSuggestions.map((url) => (
                    <option key={url} value={url} />
                  ))}
                </datalist>
              ) : null}
            </div>
            <div>
              <label htmlFor={`${ids}-registry`} className="block text-sm font-semibold">
                {t("registry")}
              </label>
              <p className="text-xs text-slate-700">{t("registryHelp")}</p>
              <input
                id={`${ids}-registry`}
                type="text"
                value={registry}
                onChange={(e) => setRegistry(e.target.value)}
                placeholder="0x…"
                autoComplete="off"
                spellCheck={false}
                className="mt-1 w-full rounded border border-slate-400 px-3 py-2 font-mono text-sm"
                data-testid="verify-registry"
              />
            </div>
            <div className="md:col-span-2">
              <label htmlFor={`${ids}-mirror`} className="block text-sm font-semibold">
                {t("mirror")}
              </label>
              <input
                id={`${ids}-mirror`}
                type="url"
                value={mirrorUrl}
                onChange={(e) => setMirrorUrl(e.target.value)}
                placeholder="https://…"
                autoComplete="off"
                className="mt-1 w-full rounded border border-slate-400 px-3 py-2 font-mono text-sm"
                aria-describedby={`${ids}-mirror-help`}
                data-testid="verify-mirror"
              />
              <p id={`${ids}-mirror-help`} className="mt-1 text-sm text-slate-700">
                {t("mirrorHelp")}
              </p>
            </div>
          </div>
        </details>

        <div>
          <button
            type="submit"
            disabled={!ready || phase.kind === "running"}
            className="rounded bg-blue-800 px-5 py-2.5 text-lg font-semibold text-white hover:bg-blue-900 disabled:cursor-not-allowed disabled:opacity-60"
            data-testid="verify-submit"
          >
            {phase.kind === "running" ? t("checking") : t("submit")}
          </button>
        </div>
      </form>

      <section aria-labelledby={`${ids}-result`} aria-busy={phase.kind === "running"} data-testid="verify-result" data-phase={phase.kind}>
        {phase.kind === "idle" ? (
          <h2 id={`${ids}-result`} className="sr-only">
            {t("result")}
          </h2>
        ) : null}
        {phase.kind === "running" ? (
          <h2 id={`${ids}-result`} className="text-xl font-semibold">
            {t("checking")}
          </h2>
        ) : null}
        {phase.kind === "input_error" ? (
          <div className="rounded-lg border border-red-300 bg-red-50 p-4 text-red-950">
            <h2 id={`${ids}-result`} ref={resultHeading} tabIndex={-1} className="text-xl font-semibold">
              {errors("title")}
            </h2>
            <p className="mt-1" data-testid="verify-input-error">
              {errors(phase.key, phase.values)}
              {phase.detail ? (
                <>
                  {" "}
                  <span lang={locale === "en" ? undefined : "en"}>{phase.detail}</span>
                </>
              ) : null}
            </p>
          </div>
        ) : null}
        {phase.kind === "evidence" ? <EvidenceResult headingId={`${ids}-result`} headingRef={resultHeading} outcome={phase.outcome} /> : null}
        {phase.kind === "done" ? <VerifyResult headingId={`${ids}-result`} headingRef={resultHeading} outcome={phase.outcome} rpcUrl={phase.rpcUrl} /> : null}
      </section>
    </div>
  );
}
