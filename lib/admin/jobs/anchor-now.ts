import { clearAlarm } from "../../chain/alarms";
import { AnchorError } from "../../chain/anchor-errors";
import { anchorSealedBlocks, createAnchorJob, type AnchorJob, type AnchorPassResult } from "../../chain/anchor-job";
import { anchorJobSettings } from "../../chain/settings";
import { ProtocolError } from "../../protocol/errors";
import type { Runtime } from "../../server/runtime";
import { adminChain } from "../chain-access";
import type { ExplainedFailure, ProgressReporter } from "../http/job-stream";

export interface AnchorNowOptions {
  /** Clear the active chain alarm first, so that the pass checks the chain again. */
  recheckAlarm?: boolean;
  /** How long to wait for a pass already running elsewhere, and for confirmations (default 90 s). */
  waitMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The anchoring job of the admin console, built from the configuration like `sealbook anchor`'s.
 * Throws ProtocolError `invalid_request` saying what is missing when the ledger cannot anchor.
 */
export async function adminAnchorJob(runtime: Runtime, log: (line: string) => void): Promise<AnchorJob> {
  const chain = await adminChain(runtime.config);
  if (!chain) throw new ProtocolError("invalid_request", "Chain services are off (SEALBOOK_CHAIN=off): this ledger anchors nothing.");
  if (!chain.anchorKey) throw new ProtocolError("invalid_request", "No anchoring key: set ANCHOR_PRIVATE_KEY to the key of the account holding ANCHORER_ROLE.");
  if (!chain.settings.registry) {
    throw new ProtocolError(
      "invalid_request",
      chain.settings.embedded
        ? "The local chain has no registry yet: `npm start` deploys one on its first anchoring pass. Try again in a few seconds."
        : "No registry: set REGISTRY_ADDRESS (`sealbook deploy` creates one).",
    );
  }
  return createAnchorJob({ ...anchorJobSettings(chain.settings), ledger: runtime.ledger, anchorPrivateKey: chain.anchorKey, log });
}

/**
 * Runs an anchoring pass now (reconcile with the registry, then anchor every sealed block not on
 * chain yet, retrying failed ones), waiting for a pass already running elsewhere and then for the
 * confirmations. With `recheckAlarm`, clears the active alarm first: the pass raises it again if
 * the chain still disagrees. Throws AnchorError (its message is redacted), or ProtocolError when
 * anchoring is not configured.
 */
export async function anchorNow(runtime: Runtime, options: AnchorNowOptions, progress: ProgressReporter, makeJob = adminAnchorJob): Promise<AnchorPassResult> {
  const job = await makeJob(runtime, (line) => progress(line));
  const deadline = Date.now() + (options.waitMs ?? 90_000);
  if (options.recheckAlarm) {
    const chainId = await job.publicClient.getChainId();
    const cleared = await clearAlarm(runtime.ledger.db, { chainId, registry: job.registry! });
    progress(cleared ? `Cleared alarm #${cleared.id} (${cleared.kind}); checking the chain again.` : "No alarm was active; checking the chain.");
  }
  progress(`Anchoring as ${job.anchorer} to registry ${job.registry}…`);
  let pass = await anchorSealedBlocks(job);
  while (Date.now() < deadline && (pass.outcome === "busy" || pass.outcome === "waiting" || pass.awaitingConfirmation > 0)) {
    progress(
      pass.outcome === "busy"
        ? "The anchoring job is running a pass right now; waiting for it to finish…"
        : `Waiting for ${job.confirmations} confirmation(s) of ${pass.awaitingConfirmation || "the sent"} block(s)…`,
    );
    await sleep(pass.outcome === "busy" ? 1_000 : 2_000);
    const next = await anchorSealedBlocks(job);
    pass = next.outcome === "busy" ? { ...pass, outcome: "busy" } : { ...next, sent: [...pass.sent, ...next.sent], adopted: pass.adopted + next.adopted, dropped: pass.dropped + next.dropped };
  }
  progress(summary(pass));
  return pass;
}

function summary(r: AnchorPassResult): string {
  if (r.outcome === "busy") return "Another process kept anchoring; nothing was done here. Its result shows on the dashboard.";
  if (r.alarm) return `ALARM (${r.alarm.kind}): ${r.alarm.message} Nothing was anchored.`;
  const blocks = r.sent.reduce((n, s) => n + s.count, 0);
  const parts = [
    blocks > 0 ? `Anchored ${blocks} block(s) in ${r.sent.length} transaction(s).` : "No block needed anchoring.",
    r.adopted > 0 ? `Recorded ${r.adopted} block(s) found already on chain.` : "",
    r.dropped > 0 ? `${r.dropped} anchor(s) had vanished from the chain and were sent again.` : "",
    `Anchored and confirmed up to block ${r.anchoredHeight} of ${r.ledgerHead}.`,
  ];
  return parts.filter(Boolean).join(" ");
}

/** The JSON form of a pass result. */
export function serializeAnchorPass(r: AnchorPassResult) {
  return {
    ...r,
    sent: r.sent.map((s) => ({ ...s, gasUsed: s.gasUsed.toString() })),
    alarm: r.alarm ? { ...r.alarm, raisedAt: r.alarm.raisedAt.toISOString() } : null,
  };
}

/** Anchoring failures are told as they are: their messages are written for operators and redacted. */
export function explainAnchorFailure(error: unknown): ExplainedFailure | null {
  if (error instanceof AnchorError) return { code: error.code, message: error.message };
  return null;
}
