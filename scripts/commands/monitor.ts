import { getAddress, isAddress } from "viem";
import { patientRegistryReader } from "../../lib/watchdog/retry";
import { findingKey, formatFinding } from "../../lib/watchdog/findings";
import { MonitorConfigError, runMonitorPass, type PassResult } from "../../lib/watchdog/monitor";
import { createMirrorClient } from "../../lib/watchdog/mirror-client";
import { createPortalClient } from "../../lib/watchdog/portal-client";
import { readReceiptsDir } from "../../lib/watchdog/receipts-dir";
import { UnreachableError } from "../../lib/watchdog/retry";
import { emptyState, type MonitorState } from "../../lib/watchdog/state";
import { loadStateFile, saveStateFile } from "../../lib/watchdog/state-file";
import { postToWebhook, type WebhookPayload } from "../../lib/watchdog/webhook";
import { CliError, progressLine, type Command } from "../cli-kit";
import { commandSpec } from "./specs";

/** Passes in a row that could not reach the portal or the chain before the webhook hears of it. */
const UNREACHABLE_PASSES_BEFORE_ALERT = 3;

const httpUrl = (value: unknown, flag: string): string => {
  if (typeof value !== "string" || !/^https?:\/\/[^\s]+$/.test(value)) throw new CliError(`${flag} must be an http(s) URL, not ${JSON.stringify(value ?? "(missing)")}.`);
  return value;
};

const seconds = (value: unknown, flag: string, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${flag} must be a positive number of seconds, not ${JSON.stringify(value)}.`);
  return n;
};

export const monitor: Command = {
  ...commandSpec("monitor"),
  async run({ values }) {
    if (values.portal !== undefined && values.mirror !== undefined) throw new CliError("--portal and --mirror contradict each other: watch one.");
    const portalUrl = values.mirror !== undefined ? httpUrl(values.mirror, "--mirror") : httpUrl(values.portal, "--portal");
    const rpcUrl = httpUrl(values.rpc, "--rpc");
    if (typeof values.registry !== "string" || !isAddress(values.registry, { strict: false })) {
      throw new CliError(`--registry must be the registry's address (0x and 40 hex digits), not ${JSON.stringify(values.registry ?? "(missing)")}.`);
    }
    if (values.once && values.interval !== undefined) throw new CliError("--once and --interval contradict each other: give one.");
    const webhook = values.webhook === undefined ? null : httpUrl(values.webhook, "--webhook");
    const intervalSeconds = values.interval === undefined ? null : seconds(values.interval, "--interval", 60);
    const maxLagSeconds = seconds(values["max-lag"], "--max-lag", 600);
    const recheck = values.recheck === undefined ? 1 : Number(values.recheck);
    if (!Number.isInteger(recheck) || recheck < 0) throw new CliError(`--recheck must be a whole number, not ${JSON.stringify(values.recheck)}.`);
    const stateFile = typeof values.state === "string" ? values.state : null;
    const receiptsDir = typeof values.receipts === "string" ? values.receipts : null;

    const portal = values.mirror !== undefined ? createMirrorClient(portalUrl) : createPortalClient(portalUrl);
    const chain = patientRegistryReader(rpcUrl, getAddress(values.registry));
    let state: MonitorState | null;
    try {
      state = stateFile ? await loadStateFile(stateFile) : null;
    } catch (error) {
      throw new CliError((error as Error).message);
    }

    const post = async (payload: Omit<WebhookPayload, "source" | "at" | "portal" | "registry" | "chainId" | "ledgerId">) => {
      if (!webhook) return;
      try {
        await postToWebhook(webhook, { source: "sealbook-monitor", at: new Date().toISOString(), portal: portal.baseUrl, registry: chain.registry, chainId: state?.chainId ?? null, ledgerId: state?.ledgerId ?? null, ...payload });
      } catch (error) {
        console.error(`sealbook monitor: the webhook did not take the report: ${(error as Error).message}`);
      }
    };

    /** One pass: run, save, print, post the new findings. */
    const pass = async (): Promise<PassResult> => {
      state ??= emptyState(portal.baseUrl, chain.registry, await chain.chainId());
      const fromDir = receiptsDir ? await readReceiptsDir(receiptsDir) : { receipts: [], problems: [] };
      for (const problem of fromDir.problems) console.error(`sealbook monitor: receipts: ${problem}`);
      const result = await runMonitorPass({ portal, chain, log: (line) => progressLine(line) }, state, { maxLagSeconds, receipts: fromDir.receipts, recheckPerPass: recheck });
      const fresh = result.findings.filter((f) => !state!.reported[findingKey(f)]);
      const standing = new Set(result.findings.map(findingKey));
      for (const key of Object.keys(state.reported)) if (!standing.has(key)) delete state.reported[key];
      for (const f of fresh) state.reported[findingKey(f)] = result.checkedAt.toISOString();
      if (stateFile) await saveStateFile(stateFile, state);
      print(result, state, values.json === true);
      if (fresh.length > 0) await post({ event: "findings", findings: fresh });
      return result;
    };

    if (intervalSeconds === null) {
      try {
        return (await pass()).findings.length > 0 ? 1 : 0;
      } catch (error) {
        return failure(error);
      }
    }

    let stopping = false;
    let wake: (() => void) | null = null;
    const stop = () => {
      stopping = true;
      wake?.();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    let lastFindings = 0;
    let unreachablePasses = 0;
    while (!stopping) {
      try {
        lastFindings = (await pass()).findings.length;
        if (unreachablePasses >= UNREACHABLE_PASSES_BEFORE_ALERT) await post({ event: "recovered", findings: [] });
        unreachablePasses = 0;
      } catch (error) {
        if (!(error instanceof UnreachableError)) return failure(error);
        unreachablePasses++;
        console.error(`sealbook monitor: this pass could not finish (${unreachablePasses} in a row): ${error.message}`);
        if (unreachablePasses === UNREACHABLE_PASSES_BEFORE_ALERT) await post({ event: "unreachable", findings: [], detail: error.message });
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalSeconds * 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return lastFindings > 0 ? 1 : 0;
  },
};

/** Prints a pass: findings on stdout, one line each, then the summary (or the whole result as JSON). */
function print(result: PassResult, state: MonitorState, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ ...result, consistentSince: state.consistentSince }, null, 2));
    return;
  }
  const s = result.summary;
  console.log(
    `${result.checkedAt.toISOString()} ledger "${s.ledgerId ?? "?"}": head ${s.head}, anchored up to ${s.chainHeight} on chain ${state.chainId}; ` +
      `${s.verifiedBlocks} block(s) recomputed (${s.verifiedEntries} entries), ${s.knownBlocks} verified in all; ` +
      `receipts ${s.receipts.checked} checked, ${s.receipts.settled} settled, ${s.receipts.notDue} not due, ${s.receipts.ignored} ignored`,
  );
  for (const note of result.notes) console.error(`  note: ${note}`);
  for (const finding of result.findings) console.log(formatFinding(finding));
  console.log(result.findings.length === 0 ? `OK: consistent since ${state.consistentSince}.` : `${result.findings.length} finding(s): the ledger is not what it claims.`);
}

/** Maps what stopped a pass to the exit code policy; prints the reason. */
function failure(error: unknown): number {
  if (error instanceof UnreachableError) {
    console.error(`sealbook monitor: UNREACHABLE, nothing concluded: ${error.message}`);
    return 3;
  }
  if (error instanceof MonitorConfigError) throw new CliError(error.message, 2);
  throw error;
}
