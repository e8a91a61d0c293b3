/**
 * The portal's check of itself, for the /status page: the monitor's own pass (monitor.ts), pointed
 * at this server's public API over HTTP and at the chain through the server's RPC, exactly as an
 * outside watchdog would run it. Its state lives in this process: "consistent since" counts from
 * the first clean pass after the server started. A pass runs at most every 30 s, one at a time,
 * and verifies at most 50 new blocks (a long history is caught up over a few visits).
 */
import type { Address } from "viem";
import { getPublicChainInfo } from "../chain/chain-info";
import { secretRedactor } from "../chain/secrets";
import { resolveChainSettings } from "../chain/settings";
import { readConfig, type SealbookConfig } from "../config";

import type { Finding } from "./findings";
import { runMonitorPass, type PassSummary } from "./monitor";
import { createPortalClient } from "./portal-client";
import { patientRegistryReader, UnreachableError, type RetryPolicy } from "./retry";
import { emptyState, type MonitorState } from "./state";

export type SelfCheckOutcome = "consistent" | "findings" | "unreachable" | "not_configured" | "pending";

export interface SelfCheck {
  outcome: SelfCheckOutcome;
  /** When the pass behind this answer ran (null while the first one runs). */
  checkedAt: Date | null;
  consistentSince: Date | null;
  findings: Finding[];
  notes: string[];
  summary: PassSummary | null;
  chain: { chainId: number | null; registry: Address | null };
  /** For unreachable and not_configured: why, in a sentence. */
  reason: string | null;
}

const FRESH_MS = 30_000;
const WAIT_MS = 8_000;
const RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 300, maxDelayMs: 1_500 };
const KEY = Symbol.for("sealbook.self-check");
type Cache = { state: MonitorState | null; last: SelfCheck | null; running: Promise<SelfCheck> | null; target: string | null };
const cache = (): Cache => ((globalThis as typeof globalThis & { [KEY]?: Cache })[KEY] ??= { state: null, last: null, running: null, target: null });

/**
 * The latest self-check: the cached one when it is under 30 s old, otherwise a new pass, waited
 * for up to 8 s (after that the previous answer, or `pending`, while the pass goes on).
 * Never throws: an outage is the `unreachable` outcome, a ledger without a chain `not_configured`.
 */
export async function getSelfCheck(config: SealbookConfig = readConfig(), now: () => Date = () => new Date()): Promise<SelfCheck> {
  const c = cache();
  if (c.last?.checkedAt && now().getTime() - c.last.checkedAt.getTime() < FRESH_MS) return c.last;
  c.running ??= runSelfCheck(config, now).finally(() => {
    c.running = null;
  });
  const running = c.running;
  const waited = await Promise.race([running, new Promise<null>((resolve) => setTimeout(() => resolve(null), WAIT_MS).unref?.())]);
  if (waited) return waited;
  return c.last ?? { outcome: "pending", checkedAt: null, consistentSince: null, findings: [], notes: [], summary: null, chain: { chainId: null, registry: null }, reason: null };
}

async function runSelfCheck(config: SealbookConfig, now: () => Date): Promise<SelfCheck> {
  const c = cache();
  const info = await getPublicChainInfo(config);
  const chain = { chainId: info.chainId, registry: info.registry };
  const blank = { findings: [], notes: [], summary: null, chain };
  if (config.SEALBOOK_CHAIN === "off" || !info.registry) {
    const reason = config.SEALBOOK_CHAIN === "off" ? "This ledger is not anchored on a blockchain, so there is nothing independent to check it against." : "The registry contract is not known yet, so the ledger cannot be checked against the blockchain yet.";
    return (c.last = { outcome: "not_configured", checkedAt: now(), consistentSince: null, reason, ...blank });
  }
  const settings = await resolveChainSettings(config);
  const redact = secretRedactor({ rpcUrls: [settings.rpcUrl] });
  const portal = createPortalClient(`http://127.0.0.1:${config.PORT}`, { retry: RETRY, timeoutMs: 10_000 });
  const reader = patientRegistryReader(settings.rpcUrl, info.registry, { retry: RETRY });
  const target = `${portal.baseUrl}|${info.registry}`;
  try {
    const chainId = await reader.chainId();
    if (c.target !== target || !c.state || c.state.chainId !== chainId) {
      // A new registry (the embedded chain redeploys on restart): start over.
      c.state = emptyState(portal.baseUrl, reader.registry, chainId);
      c.target = target;
    }
    const result = await runMonitorPass({ portal, chain: reader, now }, c.state, {
      maxLagSeconds: Math.max(600, 10 * config.ANCHOR_INTERVAL_SECONDS),
      maxNewBlocks: 50,
      recheckPerPass: 1,
    });
    return (c.last = {
      outcome: result.findings.length > 0 ? "findings" : "consistent",
      checkedAt: result.checkedAt,
      consistentSince: c.state.consistentSince ? new Date(c.state.consistentSince) : null,
      findings: result.findings,
      notes: result.notes,
      summary: result.summary,
      chain: { chainId, registry: reader.registry },
      reason: null,
    });
  } catch (error) {
    const reason = redact(error instanceof UnreachableError ? error.message : `The check stopped: ${(error as Error).message}`);
    return (c.last = { outcome: "unreachable", checkedAt: now(), consistentSince: null, reason, ...blank });
  }
}
