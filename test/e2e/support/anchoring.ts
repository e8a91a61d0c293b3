/**
 * Whether the running system anchors its blocks on a chain the browser can read. The browser tests
 * that need the chain ask this and are skipped, with the reason printed, when it does not.
 */

/** Where the portal says its roots are anchored, once anchoring has reached the wanted height. */
export interface PortalChain {
  chainId: number | null;
  registry: string;
  rpcUrl: string;
  anchoredHeight: number;
}

/**
 * Polls `GET /api/v1/ledger` until the ledger names its registry and public RPC endpoint and has
 * anchored `height`. Returns the chain, or the reason the chain-dependent tests must be skipped.
 */
export async function waitForAnchoring(baseUrl: string, height: number, timeoutMs = 120_000): Promise<PortalChain | { skip: string }> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let last: Record<string, unknown> = {};
  for (;;) {
    const response = await fetch(`${baseUrl}/api/v1/ledger`, { cache: "no-store" });
    last = (await response.json()) as Record<string, unknown>;
    if (!("registry" in last) || !("rpcUrl" in last)) {
      return {
        skip:
          "GET /api/v1/ledger has no registry or rpcUrl field: this build of scripts/start.ts does not run a chain and an anchoring job yet " +
          "(they need lib/chain/* with the embedded Hardhat node, and the ledger route publishing chainId, registry, rpcUrl and anchoredHeight)",
      };
    }
    const anchored = Number(last.anchoredHeight ?? 0);
    if (typeof last.registry === "string" && typeof last.rpcUrl === "string" && anchored >= height) {
      return { chainId: typeof last.chainId === "number" ? last.chainId : null, registry: last.registry, rpcUrl: last.rpcUrl, anchoredHeight: anchored };
    }
    if (last.registry === null && last.rpcUrl === null && Date.now() - started > 20_000) {
      return { skip: "the system runs without a chain (GET /api/v1/ledger names no registry and no RPC endpoint; SEALBOOK_CHAIN=off?)" };
    }
    if (Date.now() > deadline) {
      return {
        skip: `the system did not anchor block ${height} within ${Math.round(timeoutMs / 1000)} s (GET /api/v1/ledger said registry=${String(last.registry)}, rpcUrl=${String(last.rpcUrl)}, anchoredHeight=${String(last.anchoredHeight)})`,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
