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
import { keccak_256 } from "@noble/hashes/sha3.js";
import { buildBlockTreePacked } from "../protocol/fast-tree";
import { genesisRootOf } from "../protocol/hash";
import { bytesToHex, type Hash } from "../protocol/hex";
import { isUnanchored } from "../chain/registry/reads";
import type { RegistryReader } from "../chain/registry/reader";
import type { Finding } from "./findings";
import type { PortalBlock, PortalClient, PortalLedger } from "./portal-client";
import type { PassSummary } from "./pass-summary";
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
  const log = deps.log ?? (() => {});
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

  if (state.portal !== portal.baseUrl || state.registry.toLowerCase() !== chain.registry.toLowerCase()) {
    throw new MonitorConfigError(`The state is for the portal ${state.portal} and the registry ${state.registry}, not ${portal.baseUrl} and ${chain.registry}: use another state file.`);
  }
  // The chain first: whatever the portal shows next was sealed no later than what is anchored now.
  const chainId = await chain.chainId();
  if (chainId !== state.chainId) throw new MonitorConfigError(`The RPC serves chain ${chainId}, but the state was made on chain ${state.chainId}: use an RPC of chain ${state.chainId}, or another state file.`);
  if (!(await chain.deployed())) throw new MonitorConfigError(`There is no contract at ${chain.registry} on chain ${chainId}: check --registry and --rpc.`);
  const [genesisOnChain, chainHeight] = await Promise.all([chain.genesisRoot(), chain.latestHeight()]);
  summary.chainHeight = chainHeight;

  let ledger: PortalLedger;
  let listed: PortalBlock[];
  try {
    ledger = await portal.ledger();
    listed = await portal.blocks();
  } catch (error) {
    if (!(error instanceof AnswerError)) throw error;
    findings.push({ kind: "malformed_answer", message: `The portal's ledger status or block list is not what its API documents: ${error.message}` });
    return finish();
  }
  summary.ledgerId = ledger.ledgerId;
  if (genesisRootOf(ledger.ledgerId) !== ledger.genesisRoot) {
    findings.push({ kind: "genesis_mismatch", message: `The portal's genesis root is not the one its ledger id "${ledger.ledgerId}" defines.`, expected: genesisRootOf(ledger.ledgerId), found: ledger.genesisRoot });
  }
  if (genesisOnChain !== ledger.genesisRoot) {
    findings.push({ kind: "genesis_mismatch", message: `The registry ${chain.registry} belongs to another ledger: its genesis root is not the portal's.`, expected: ledger.genesisRoot, found: genesisOnChain });
    return finish();
  }
  if (state.genesisRoot && state.genesisRoot !== ledger.genesisRoot) {
    throw new MonitorConfigError(`The state is for the ledger "${state.ledgerId}", but the portal now serves "${ledger.ledgerId}": use another state file.`);
  }
  state.ledgerId = ledger.ledgerId;
  state.genesisRoot = ledger.genesisRoot;
  const advertised = ledger.registry ?? null;
  if ((advertised && advertised.toLowerCase() !== chain.registry.toLowerCase()) || (ledger.chainId && ledger.chainId !== chainId)) {
    findings.push({
      kind: "registry_mismatch",
      message: "The portal tells its readers to check another registry or chain than the one this watchdog holds it to: readers who follow the portal check the wrong contract.",
      expected: `${chain.registry} on chain ${chainId}`,
      found: `${advertised ?? "(none)"} on chain ${ledger.chainId ?? "(none)"}`,
    });
  }

  const byHeight = new Map(listed.map((b) => [b.height, b]));
  const head = Math.max(ledger.head.height, ...listed.map((b) => b.height), 0);
  summary.head = head;
  for (let h = 1; h <= head; h++) {
    if (!byHeight.has(h)) findings.push({ kind: "block_missing", height: h, message: `The portal's list of blocks skips block ${h}, below its head ${head}.` });
  }
  for (const known of Object.keys(state.blocks).map(Number)) {
    if (known > head) findings.push({ kind: "block_missing", height: known, message: `Block ${known} was verified before, but the portal now shows blocks only up to ${head}: history was cut back.` });
  }
  if (chainHeight > head) {
    findings.push({ kind: "block_missing", height: head + 1, message: `The chain has roots anchored up to block ${chainHeight}, but the portal shows blocks only up to ${head}: it hides anchored blocks.` });
  }

  // Roots on chain for every block not known to be anchored yet (an anchored root never changes).
  const toRead = listed.filter((b) => b.height <= chainHeight && !state.blocks[b.height]?.anchored).map((b) => b.height).sort((a, b) => a - b);
  const chainRoots = await chain.rootsOf(toRead);
  const recheck = pickRecheck(state, head, options.recheckPerPass ?? 1);

  for (let h = 1; h <= head; h++) {
    const block = byHeight.get(h);
    if (!block) continue;
    const previous = h === 1 ? ledger.genesisRoot : byHeight.get(h - 1)?.root;
    if (previous && block.prevRoot !== previous) {
      findings.push({ kind: "broken_link", height: h, message: `Block ${h} does not build on block ${h - 1}: its prevRoot is not the root before it.`, expected: previous, found: block.prevRoot });
    }
    const seen = state.blocks[String(h)];
    if (seen && (seen.root !== block.root || seen.prevRoot !== block.prevRoot || seen.entryCount !== block.entryCount)) {
      findings.push({
        kind: "block_changed",
        height: h,
        message: `Block ${h} is not the block this watchdog verified on ${seen.verifiedAt}: the ledger rewrote it, or shows different readers different histories.`,
        expected: `root ${seen.root}, ${seen.entryCount} entries`,
        found: `root ${block.root}, ${block.entryCount} entries`,
      });
      continue; // the state keeps what was verified: it is the evidence
    }
    const chainRoot = chainRoots.get(h);
    if (!isUnanchored(chainRoot) && chainRoot !== block.root) {
      findings.push({
        kind: "chain_root_mismatch",
        height: h,
        message: `The blockchain holds another root for block ${h} than the portal serves: the ledger's copy of this block is not the one it published.`,
        expected: chainRoot,
        found: block.root,
      });
      continue;
    }
    const anchoredNow = chainRoot === block.root;
    if (seen && !recheck.has(h)) {
      if (anchoredNow) seen.anchored = true;
      continue;
    }
    if (!seen && options.maxNewBlocks !== undefined && summary.verifiedBlocks >= options.maxNewBlocks) {
      summary.deferredBlocks++;
      continue;
    }
    const digest = await verifyEntryList(portal, block, findings, log);
    if (digest === null) continue;
    summary.verifiedBlocks++;
    summary.verifiedEntries += block.entryCount;
    if (seen && digest !== seen.entriesDigest) {
      findings.push({
        kind: "block_changed",
        height: h,
        message: `The entry list of block ${h} is not the one this watchdog verified on ${seen.verifiedAt}, though its header is the same.`,
        expected: seen.entriesDigest,
        found: digest,
      });
      continue;
    }
    state.blocks[String(h)] = {
      root: block.root,
      prevRoot: block.prevRoot,
      entryCount: block.entryCount,
      entriesDigest: digest,
      sealedAt: block.sealedAt,
      firstSeenAt: seen?.firstSeenAt ?? now.toISOString(),
      verifiedAt: now.toISOString(),
      anchored: anchoredNow || (seen?.anchored ?? false),
    };
  }
  if (summary.deferredBlocks > 0) notes.push(`${summary.deferredBlocks} new block(s) are left for the next pass.`);

  checkAnchoringLag(state, byHeight, chainHeight, head, now, options.maxLagSeconds, findings, notes);
  await checkDueReceipts({ portal, chain, chainId, byHeight, chainRoots, state, now, receipts: options.receipts ?? [], findings, notes, summary });
  return finish();
}

/**
 * Downloads a block's entry list and recomputes its root with the packed builder. Returns the
 * digest of its leaves (keccak256 of the tree's leaf layer, canonical whatever the order served),
 * or null after pushing the finding.
 */
async function verifyEntryList(portal: PortalClient, block: PortalBlock, findings: Finding[], log: (line: string) => void): Promise<Hash | null> {
  const h = block.height;
  let list;
  try {
    list = await portal.entries(h, block.entryCount);
  } catch (error) {
    if (!(error instanceof AnswerError)) throw error;
    findings.push({ kind: "malformed_answer", height: h, message: `The entry list of block ${h} cannot be read: ${error.message}` });
    return null;
  }
  const { header } = list;
  if (header.height !== h || header.root !== block.root || header.prevRoot !== block.prevRoot || header.entryCount !== block.entryCount) {
    findings.push({
      kind: "entries_root_mismatch",
      height: h,
      message: `The entry list of block ${h} comes with another header than the block itself.`,
      expected: `height ${h}, root ${block.root}, ${block.entryCount} entries`,
      found: `height ${header.height}, root ${header.root}, ${header.entryCount} entries`,
    });
    return null;
  }
  if (list.count !== block.entryCount) {
    findings.push({ kind: "entries_root_mismatch", height: h, message: `The entry list of block ${h} holds ${list.count} entries, but the block says ${block.entryCount}.`, expected: String(block.entryCount), found: String(list.count) });
    return null;
  }
  const tree = buildBlockTreePacked(list.packed);
  if (tree.root !== block.root) {
    findings.push({
      kind: "entries_root_mismatch",
      height: h,
      message: `The entries the portal lists for block ${h} do not produce its root: the list was altered, or the root was.`,
      expected: block.root,
      found: tree.root,
    });
    return null;
  }
  if (block.entryCount >= 100_000) log(`block ${h}: ${block.entryCount} entries recomputed to its root`);
  return bytesToHex(keccak_256(tree.nodes.subarray((tree.size - 1) * 32)));
}

/** Up to `count` verified heights to download again, rotating from state.recheckFrom. */
function pickRecheck(state: MonitorState, head: number, count: number): Set<number> {
  const picked = new Set<number>();
  if (count <= 0 || head === 0) return picked;
  let h = state.recheckFrom > head ? 1 : state.recheckFrom;
  for (let tries = 0; tries < head && picked.size < count; tries++) {
    if (state.blocks[String(h)]) picked.add(h);
    h = h >= head ? 1 : h + 1;
  }
  state.recheckFrom = h;
  return picked;
}

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
