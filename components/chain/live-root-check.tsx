"use client";

import { useLocale, useTranslations } from "next-intl";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import type { Hash } from "@/lib/protocol/hex";

type CheckState =
  | { kind: "not_configured"; missing: "node" | "registry" }
  | { kind: "checking" }
  | { kind: "match"; onChain: Hash }
  | { kind: "mismatch"; onChain: Hash }
  | { kind: "not_anchored" }
  | { kind: "wrong_chain"; got: number; want: number }
  | { kind: "unreachable"; message: string }
  | { kind: "error"; message: string };

const ZERO = `0x${"0".repeat(64)}`;

/**
 * Reads `rootOf(height)` from the registry, from this browser straight to the RPC endpoint, and
 * compares it with the root this page shows, as soon as the reader scrolls to it. `?expectRoot=0x…` replaces the expected root, so that
 * anyone (and the end-to-end tests) can see what a mismatch looks like.
 */
export function LiveRootCheck({
  height,
  root,
  registry,
  rpcUrl,
  rpcIsSuggestion = false,
  chainId,
}: {
  height: number;
  root: Hash;
  registry: string | null;
  rpcUrl: string | null;
  /** The portal publishes no node: `rpcUrl` is a public node of the chain (lib/portal/public-rpcs.ts), and the page says so. */
  rpcIsSuggestion?: boolean;
  chainId: number | null;
}) {
  // Read from the address after hydration, so that the cached page needs no client-only subtree.
  const t = useTranslations("liveCheck");
  const locale = useLocale();
  const [override, setOverride] = useState<string | null>(null);
  useEffect(() => {
    setOverride(new URLSearchParams(window.location.search).get("expectRoot"));
  }, []);
  const overrideValid = override !== null && /^0x[0-9a-fA-F]{64}$/.test(override);
  const expected = (overrideValid ? override.toLowerCase() : root) as Hash;
  const [state, setState] = useState<CheckState>({ kind: "checking" });

  const run = useCallback(async () => {
    if (!rpcUrl || !registry) {
      setState({ kind: "not_configured", missing: !rpcUrl ? "node" : "registry" });
      return;
    }
    setState({ kind: "checking" });
    const { createRegistryReader, RegistryReadError } = await import("@/lib/portal/registry-reader");
    try {
      const reader = createRegistryReader({ rpcUrl, registry: registry as `0x${string}` });
      if (chainId !== null) {
        const got = await reader.chainId();
        if (got !== chainId) {
          setState({ kind: "wrong_chain", got, want: chainId });
          return;
        }
      }
      const onChain = await reader.readRoot(height);
      if (onChain === ZERO) setState({ kind: "not_anchored" });
      else setState(onChain === expected ? { kind: "match", onChain } : { kind: "mismatch", onChain });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof RegistryReadError && error.failure === "unreachable") setState({ kind: "unreachable", message });
      else setState({ kind: "error", message });
    }
  }, [rpcUrl, registry, chainId, height, expected]);

  // Start when the section comes into view (and the page is idle): the check loads viem, which
  // need not compete with the first paint of a page most readers open for its header.
  const section = useRef<HTMLElement>(null);
  const [visible, setVisible] = useState(false);
  useEffect(() => {
    const element = section.current;
    if (!element || typeof IntersectionObserver !== "function") {
      setVisible(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setVisible(true);
        observer.disconnect();
      }
    }, { rootMargin: "200px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  useEffect(() => {
    if (!visible) return;
    const start = () => void run();
    if (typeof window.requestIdleCallback === "function") {
      const id = window.requestIdleCallback(start, { timeout: 1000 });
      return () => window.cancelIdleCallback(id);
    }
    const timer = setTimeout(start, 100);
    return () => clearTimeout(timer);
  }, [visible, run]);

  return (
    <section ref={section} aria-labelledby="live-check-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="live-check-heading" className="text-xl font-semibold">
        {t("title")}
      </h2>
      <p className="mt-1 max-w-prose text-slate-700">
        {t("intro", { height: String(height) })}
      </p>
      {rpcIsSuggestion && rpcUrl ? (
        <p className="mt-3 max-w-prose text-sm text-slate-700" data-testid="live-check-public-node">
          {t.rich("publicNode", {
            node: () => <span className="break-all">{rpcUrl}</span>,
            link: (chunks) => (
              <a className="link" href={`/${locale}/verify`}>
                {chunks}
              </a>
            ),
          })}
        </p>
      ) : null}
      {override !== null ? (
        <p className="mt-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <strong>{t("testMode")}</strong>{" "}
          {overrideValid
            ? t.rich("testModeValid", { code: () => <code className="hash">expectRoot={override}</code> })
            : t("testModeInvalid")}
        </p>
      ) : null}
      <div role="status" aria-live="polite" className="mt-3" data-testid="live-check-result" data-state={state.kind}>
        <LiveCheckMessage state={state} height={height} expected={expected} rpcUrl={rpcUrl} t={t} />
      </div>
      {state.kind !== "not_configured" ? (
        <button
          type="button"
          onClick={() => void run()}
          disabled={state.kind === "checking"}
          className="mt-3 rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:opacity-60"
        >
          {t("again")}
        </button>
      ) : null}
    </section>
  );
}

function LiveCheckMessage({
  state,
  height,
  expected,
  rpcUrl,
  t,
}: {
  state: CheckState;
  height: number;
  expected: Hash;
  rpcUrl: string | null;
  t: ReturnType<typeof useTranslations<"liveCheck">>;
}) {
  const h = String(height);
  const box = (tone: string, title: string, body: ReactNode) => (
    <div className={`rounded border p-3 ${tone}`}>
      <p className="font-semibold">{title}</p>
      <div className="mt-1 text-sm">{body}</div>
    </div>
  );
  switch (state.kind) {
    case "checking":
      return box("border-slate-300 bg-slate-50 text-slate-800", t("checking"), rpcUrl ? t("asking", { node: rpcUrl, height: h }) : t("askingChain", { height: h }));
    case "not_configured":
      return box(
        "border-slate-300 bg-slate-50 text-slate-800",
        t("notConfigured"),
        t(`notConfigured_${state.missing}`, { height: h }),
      );
    case "match":
      return box(
        "border-emerald-300 bg-emerald-50 text-emerald-950",
        t("match"),
        <>{t.rich("matchBody", { height: h, root: () => <code className="hash">{state.onChain}</code> })}</>,
      );
    case "mismatch":
      return box(
        "border-red-300 bg-red-50 text-red-950",
        t("mismatch"),
        <>
          <p>
            {t("expected")} <code className="hash">{expected}</code>
          </p>
          <p>
            {t("onChain")} <code className="hash">{state.onChain}</code>
          </p>
          <p className="mt-1">{t("mismatchBody", { height: h })}</p>
        </>,
      );
    case "not_anchored":
      return box(
        "border-amber-300 bg-amber-50 text-amber-950",
        t("notAnchored"),
        t("notAnchoredBody", { height: h }),
      );
    case "wrong_chain":
      return box(
        "border-red-300 bg-red-50 text-red-950",
        t("wrongChain"),
        t("wrongChainBody", { got: String(state.got), want: String(state.want) }),
      );
    case "unreachable":
      return box("border-amber-300 bg-amber-50 text-amber-950", t("unreachable"), `${state.message} ${t("unreachableBody")}`);
    case "error":
      return box("border-red-300 bg-red-50 text-red-950", t("error"), state.message);
  }
}
