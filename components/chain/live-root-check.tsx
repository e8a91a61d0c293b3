"use client";

import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { HASH_ANY_CASE_PATTERN, ZERO_HASH, type Hash } from "@/lib/protocol/hex";

type CheckState =
  | { kind: "not_configured"; missing: string }
  | { kind: "checking" }
  | { kind: "match"; onChain: Hash }
  | { kind: "mismatch"; onChain: Hash }
  | { kind: "not_anchored" }
  | { kind: "wrong_chain"; got: number; want: number }
  | { kind: "unreachable"; message: string }
  | { kind: "error"; message: string };


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
  const [override, setOverride] = useState<string | null>(null);
  useEffect(() => {
    setOverride(new URLSearchParams(window.location.search).get("expectRoot"));
  }, []);
  const overrideValid = override !== null && HASH_ANY_CASE_PATTERN.test(override);
  const expected = (overrideValid ? override.toLowerCase() : root) as Hash;
  const [state, setState] = useState<CheckState>({ kind: "checking" });

  const run = useCallback(async () => {
    if (!rpcUrl || !registry) {
      setState({ kind: "not_configured", missing: !rpcUrl ? "no public blockchain node (RPC endpoint)" : "no registry contract" });
      return;
    }
    setState({ kind: "checking" });
    const { createRegistryReader, RegistryReadError } = await import("@/lib/chain/registry/reader");
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
      if (onChain === ZERO_HASH) setState({ kind: "not_anchored" });
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
        Live check on the blockchain
      </h2>
      <p className="mt-1 max-w-prose text-slate-700">
        Your browser asks the blockchain directly, not this portal, which root the registry contract holds for block {height}, and
        compares it with the root shown on this page.
      </p>
      {rpcIsSuggestion && rpcUrl ? (
        <p className="mt-3 max-w-prose text-sm text-slate-700" data-testid="live-check-public-node">
          This portal publishes no blockchain node of its own, so your browser asks the public node <span className="break-all">{rpcUrl}</span>.
          To use another one, or your own, open the <a className="link" href="/verify">verifier</a>.
        </p>
      ) : null}
      {override !== null ? (
        <p className="mt-3 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <strong>Test mode:</strong>{" "}
          {overrideValid ? (
            <>
              the address of this page gives an expected root (<code className="hash">expectRoot={override}</code>), so the check compares
              the blockchain with that value instead of the root shown above.
            </>
          ) : (
            <>the expectRoot value in the address is not a 32-byte hash, so it is ignored.</>
          )}
        </p>
      ) : null}
      <div role="status" aria-live="polite" className="mt-3" data-testid="live-check-result" data-state={state.kind}>
        <LiveCheckMessage state={state} height={height} expected={expected} rpcUrl={rpcUrl} />
      </div>
      {state.kind !== "not_configured" ? (
        <button
          type="button"
          onClick={() => void run()}
          disabled={state.kind === "checking"}
          className="mt-3 rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-100 disabled:opacity-60"
        >
          Check again
        </button>
      ) : null}
    </section>
  );
}

function LiveCheckMessage({ state, height, expected, rpcUrl }: { state: CheckState; height: number; expected: Hash; rpcUrl: string | null }) {
  const box = (tone: string, title: string, body: ReactNode) => (
    <div className={`rounded border p-3 ${tone}`}>
      <p className="font-semibold">{title}</p>
      <div className="mt-1 text-sm">{body}</div>
    </div>
  );
  switch (state.kind) {
    case "checking":
      return box("border-slate-300 bg-slate-50 text-slate-800", "Checking…", `Asking ${rpcUrl ?? "the blockchain"} for the root of block ${height}.`);
    case "not_configured":
      return box(
        "border-slate-300 bg-slate-50 text-slate-800",
        "Chain not configured",
        `This portal publishes ${state.missing}, so the live check cannot run here. Once the ledger is anchored, anyone can read rootOf(${height}) from the registry with their own node, for example in the verifier (/verify).`,
      );
    case "match":
      return box(
        "border-emerald-300 bg-emerald-50 text-emerald-950",
        "✓ Match: the blockchain holds this root",
        <>
          The registry holds <code className="hash">{state.onChain}</code> for block {height}, the same root as expected. No one can change it
          any more.
        </>,
      );
    case "mismatch":
      return box(
        "border-red-300 bg-red-50 text-red-950",
        "✗ Mismatch: the blockchain holds a different root",
        <>
          <p>
            Expected <code className="hash">{expected}</code>
          </p>
          <p>
            On chain <code className="hash">{state.onChain}</code>
          </p>
          <p className="mt-1">What this page shows is not what the ledger published for block {height}.</p>
        </>,
      );
    case "not_anchored":
      return box(
        "border-amber-300 bg-amber-50 text-amber-950",
        "Not anchored yet",
        `The registry holds no root for block ${height} yet. Blocks are anchored shortly after sealing; check again later.`,
      );
    case "wrong_chain":
      return box(
        "border-red-300 bg-red-50 text-red-950",
        "Wrong network",
        `The blockchain node answers for chain ${state.got}, but the registry is on chain ${state.want}.`,
      );
    case "unreachable":
      return box("border-amber-300 bg-amber-50 text-amber-950", "Blockchain node unreachable", `${state.message} The check could not be made; try again later.`);
    case "error":
      return box("border-red-300 bg-red-50 text-red-950", "The check could not be completed", state.message);
  }
}
