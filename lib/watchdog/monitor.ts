/**
 * One pass of the independent watchdog: it trusts nothing the portal says until it has recomputed
 * it. It reads the chain (registry genesis, latest height, roots) before the portal (so an honest
 * ledger that seals and anchors meanwhile is never caught in a false race), lists every block
 * header, downloads and recomputes the root of every block it has not verified yet, checks each
 * prevRoot link and each root against the chain, compares what it sees with what it verified
 * before (state.ts), measures the anchoring lag, and checks the receipts whose sealBy has passed.
 *
 * Uses only lib/protocol, the public HTTP API (portal-client.ts) and the chain (lib/chain/registry/reader.ts):
 * never the database or lib/ledger (test/watchdog/boundaries.test.ts keeps it so).
 */
import type { RegistryReader } from "../chain/registry/reader";
import { genesisRootOf } from "../protocol/hash";
import type { Hash } from "../protocol/hex";
import type { Finding } from "./findings";
import type { PortalBlock, PortalClient, PortalLedger } from "./portal-client";
import type { PassSummary } from "./pass-summary";
import { checkBlocks, pickRecheck } from "./monitor-blocks";
import { checkDueReceipts } from "./monitor-receipts";
import type { SignedReceipt } from "../protocol/receipt";
import { AnswerError } from "./retry";
import type { MonitorState } from "./state";

export interface MonitorDeps {
  portal: PortalClient;
  chain: RegistryReader;
  now?: () => Date;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
}

export interface MonitorOptions {
  /** Longest a sealed block may wait for its anchor, in seconds. */
  maxLagSeconds: number;
  /** Receipts to hold the ledger to (those whose sealBy has passed are checked). */
  receipts?: SignedReceipt[];
  /** Verify at most this many new blocks' entry lists in this pass; the rest wait for the next (default: all). */
  maxNewBlocks?: number;
  /** Download again the entry lists of this many verified blocks, rotating through history (default 1). */
  recheckPerPass?: number;
}

export type { PassSummary } from "./pass-summary";

export interface PassResult {
  checkedAt: Date;
  findings: Finding[];
  /** What is worth saying but is no evidence against the ledger (an invalid receipt, a block not anchored yet). */
  notes: string[];
  summary: PassSummary;
}

/** The state belongs to another portal, registry or chain than this pass: the caller's configuration is wrong. */
export class MonitorConfigError extends Error {
  override name = "MonitorConfigError";
}

/**
 * Runs one pass and updates `state` in place (verified blocks, settled receipts, consistentSince).
 * Throws UnreachableError when the portal or the chain cannot be reached after the retries (no
 * conclusion is drawn), and MonitorConfigError when `state` is for another portal, registry or chain.
 */
export async function runMonitorPass(deps: MonitorDeps, state: MonitorState, options: MonitorOptions): Promise<PassResult> {
  const { portal, chain } = deps;
  const now = deps.now?.() ?? new Date();
  const findings: Finding[] = [];
  const notes: string[] = [];
  const summary: PassSummary = {
    ledgerId: state.ledgerId,
    head: 0,
    chainHeight: 0,
    verifiedBlocks: 0,
    verifiedEntries: 0,
    deferredBlocks: 0,
    knownBlocks: Object.keys(state.blocks).length,
    receipts: { checked: 0, settled: 0, notDue: 0, ignored: 0 },
  };
  const finish = (): PassResult => {
    state.consistentSince = findings.length === 0 ? (state.consistentSince ?? now.toISOString()) : null;
    summary.knownBlocks = Object.keys(state.blocks).length;
    return { checkedAt: now, findings, notes, summary };
  };

  // The chain first: whatever the portal shows next was sealed no later than what is anchored now.
  const onChain = await readChainFirst(deps, state);
  summary.chainHeight = onChain.chainHeight;
  const served = await readPortal(portal, findings);
  if (!served) return finish();
  const { ledger, listed } = served;
  summary.ledgerId = ledger.ledgerId;
  if (!checkLedgerIdentity(ledger, onChain, deps, state, findings)) return finish();

  const byHeight = new Map(listed.map((b) => [b.height, b]));
  const head = Math.max(ledger.head.height, ...listed.map((b) => b.height), 0);
  summary.head = head;
  checkBlockList(byHeight, head, onChain.chainHeight, state, findings);

  // Roots on chain for every block not known to be anchored yet (an anchored root never changes).
  const toRead = listed.filter((b) => b.height <= onChain.chainHeight && !state.blocks[b.height]?.anchored).map((b) => b.height).sort((a, b) => a - b);
  const chainRoots = await chain.rootsOf(toRead);
  const recheck = pickRecheck(state, head, options.recheckPerPass ?? 1);
  await checkBlocks({ portal, state, genesisRoot: ledger.genesisRoot, byHeight, head, chainRoots, now, maxNewBlocks: options.maxNewBlocks, recheck, findings, summary, log: deps.log ?? (() => {}) });
  if (summary.deferredBlocks > 0) notes.push(`${summary.deferredBlocks} new block(s) are left for the next pass.`);

  checkAnchoringLag(state, byHeight, onChain.chainHeight, head, now, options.maxLagSeconds, findings, notes);
  await checkDueReceipts({ portal, chain, chainId: onChain.chainId, byHeight, chainRoots, state, now, receipts: options.receipts ?? [], findings, notes, summary });
  return finish();
}

/** What the pass read from the chain before asking the portal anything. */
interface ChainFirst {
  chainId: number;
  genesisOnChain: Hash;
  chainHeight: number;
}

/** Reads the chain id, the registry's genesis root and latest height. Throws MonitorConfigError when the state or the registry is not the one configured. */
async function readChainFirst({ portal, chain }: MonitorDeps, state: MonitorState): Promise<ChainFirst> {
  if (state.portal !== portal.baseUrl || state.registry.toLowerCase() !== chain.registry.toLowerCase()) {
    throw new MonitorConfigError(`The state is for the portal ${state.portal} and the registry ${state.registry}, not ${portal.baseUrl} and ${chain.registry}: use another state file.`);
  }
  const chainId = await chain.chainId();
  if (chainId !== state.chainId) throw new MonitorConfigError(`The RPC serves chain ${chainId}, but the state was made on chain ${state.chainId}: use an RPC of chain ${state.chainId}, or another state file.`);
  if (!(await chain.deployed())) throw new MonitorConfigError(`There is no contract at ${chain.registry} on chain ${chainId}: check --registry and --rpc.`);
  const [genesisOnChain, chainHeight] = await Promise.all([chain.genesisRoot(), chain.latestHeight()]);
  return { chainId, genesisOnChain, chainHeight };
}

/** The portal's ledger status and block list; null (with the finding) when they are not what the API documents. */
async function readPortal(portal: PortalClient, findings: Finding[]): Promise<{ ledger: PortalLedger; listed: PortalBlock[] } | null> {
  try {
    return { ledger: await portal.ledger(), listed: await portal.blocks() };
  } catch (error) {
    if (!(error instanceof AnswerError)) throw error;
    findings.push({ kind: "malformed_answer", message: `The portal's ledger status or block list is not what its API documents: ${error.message}` });
    return null;
  }
}

/**
 * Holds the portal to its ledger id, the registry's genesis root and the registry it advertises, and
 * records the ledger in the state. False when the registry belongs to another ledger (nothing more
 * can be compared). Throws MonitorConfigError when the state is for another ledger.
 */
function checkLedgerIdentity(ledger: PortalLedger, onChain: ChainFirst, { chain }: MonitorDeps, state: MonitorState, findings: Finding[]): boolean {
  if (genesisRootOf(ledger.ledgerId) !== ledger.genesisRoot) {
    findings.push({ kind: "genesis_mismatch", message: `The portal's genesis root is not the one its ledger id "${ledger.ledgerId}" defines.`, expected: genesisRootOf(ledger.ledgerId), found: ledger.genesisRoot });
  }
  if (onChain.genesisOnChain !== ledger.genesisRoot) {
    findings.push({ kind: "genesis_mismatch", message: `The registry ${chain.registry} belongs to another ledger: its genesis root is not the portal's.`, expected: ledger.genesisRoot, found: onChain.genesisOnChain });
    return false;
  }
  if (state.genesisRoot && state.genesisRoot !== ledger.genesisRoot) {
    throw new MonitorConfigError(`The state is for the ledger "${state.ledgerId}", but the portal now serves "${ledger.ledgerId}": use another state file.`);
  }
  state.ledgerId = ledger.ledgerId;
  state.genesisRoot = ledger.genesisRoot;
  const advertised = ledger.registry ?? null;
  if ((advertised && advertised.toLowerCase() !== chain.registry.toLowerCase()) || (ledger.chainId && ledger.chainId !== onChain.chainId)) {
    findings.push({
      kind: "registry_mismatch",
      message: "The portal tells its readers to check another registry or chain than the one this watchdog holds it to: readers who follow the portal check the wrong contract.",
      expected: `${chain.registry} on chain ${onChain.chainId}`,
      found: `${advertised ?? "(none)"} on chain ${ledger.chainId ?? "(none)"}`,
    });
  }
  return true;
}

/** Finds the blocks the portal's list leaves out: a gap below its head, a verified block gone, an anchored height it hides. */
function checkBlockList(byHeight: Map<number, PortalBlock>, head: number, chainHeight: number, state: MonitorState, findings: Finding[]): void {
  for (let h = 1; h <= head; h++) {
    if (!byHeight.has(h)) findings.push({ kind: "block_missing", height: h, message: `The portal's list of blocks skips block ${h}, below its head ${head}.` });
  }
  for (const known of Object.keys(state.blocks).map(Number)) {
    if (known > head) findings.push({ kind: "block_missing", height: known, message: `Block ${known} was verified before, but the portal now shows blocks only up to ${head}: history was cut back.` });
  }
  if (chainHeight > head) {
    findings.push({ kind: "block_missing", height: head + 1, message: `The chain has roots anchored up to block ${chainHeight}, but the portal shows blocks only up to ${head}: it hides anchored blocks.` });
  }
}

/** Notes how long the oldest block not anchored has waited, and finds it when that is longer than allowed. */
function checkAnchoringLag(
  state: MonitorState,
  byHeight: Map<number, PortalBlock>,
  chainHeight: number,
  head: number,
  now: Date,
  maxLagSeconds: number,
  findings: Finding[],
  notes: string[],
): void {
  // Heights are anchored in order: the oldest one waiting is chainHeight + 1.
  const oldest = byHeight.get(chainHeight + 1);
  if (!oldest || chainHeight >= head) return;
  const sealedAt = Date.parse(oldest.sealedAt);
  const firstSeen = Date.parse(state.blocks[String(oldest.height)]?.firstSeenAt ?? "");
  const since = Math.min(...[sealedAt, firstSeen, now.getTime()].filter((t) => !Number.isNaN(t)));
  const waited = Math.round((now.getTime() - since) / 1000);
  if (waited > maxLagSeconds) {
    findings.push({
      kind: "anchoring_lag",
      height: oldest.height,
      message: `Block ${oldest.height} was sealed ${waited} s ago and its root is still not on the blockchain (allowed: ${maxLagSeconds} s); ${head - chainHeight} block(s) wait. Until anchored, they can be rewritten without a trace on chain.`,
      expected: `anchored within ${maxLagSeconds} s`,
      found: `${waited} s`,
    });
  } else {
    notes.push(`${head - chainHeight} block(s) from ${oldest.height} are not anchored yet (the oldest for ${waited} s; allowed ${maxLagSeconds} s).`);
  }
}
