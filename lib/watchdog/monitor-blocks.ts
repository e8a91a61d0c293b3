/**
 * The monitor's block step: for every block the portal lists, its prevRoot link, whether it is
 * still the block verified before, its root against the chain, and (for a new block, or one picked
 * for a re-check) its entry list recomputed to its root. What was verified is kept in the state.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { isUnanchored } from "../chain/registry/reads";
import { buildBlockTreePacked } from "../protocol/fast-tree";
import { bytesToHex, type Hash } from "../protocol/hex";
import type { Finding } from "./findings";
import type { PassSummary } from "./pass-summary";
import type { PortalBlock, PortalClient } from "./portal-client";
import { AnswerError } from "./retry";
import type { MonitorState } from "./state";

/** What the block step needs from the pass. */
export interface BlockCheck {
  portal: PortalClient;
  state: MonitorState;
  genesisRoot: Hash;
  byHeight: Map<number, PortalBlock>;
  head: number;
  /** Roots on chain of the blocks not known to be anchored (0x00…00 where none). */
  chainRoots: Map<number, Hash>;
  now: Date;
  maxNewBlocks?: number;
  recheck: Set<number>;
  findings: Finding[];
  summary: PassSummary;
  log: (line: string) => void;
}

/** Checks every listed block from 1 to the head, in order, and records each one verified in the state. */
export async function checkBlocks(ctx: BlockCheck): Promise<void> {
  for (let h = 1; h <= ctx.head; h++) {
    const block = ctx.byHeight.get(h);
    if (block) await checkBlock(ctx, block);
  }
}

/** One block: its link, its memory, its chain root, then (when due) its entry list. */
async function checkBlock(ctx: BlockCheck, block: PortalBlock): Promise<void> {
  const { state, findings, summary, now } = ctx;
  const h = block.height;
  const previous = h === 1 ? ctx.genesisRoot : ctx.byHeight.get(h - 1)?.root;
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
    return; // the state keeps what was verified: it is the evidence
  }
  const chainRoot = ctx.chainRoots.get(h);
  if (!isUnanchored(chainRoot) && chainRoot !== block.root) {
    findings.push({
      kind: "chain_root_mismatch",
      height: h,
      message: `The blockchain holds another root for block ${h} than the portal serves: the ledger's copy of this block is not the one it published.`,
      expected: chainRoot,
      found: block.root,
    });
    return;
  }
  const anchoredNow = chainRoot === block.root;
  if (seen && !ctx.recheck.has(h)) {
    if (anchoredNow) seen.anchored = true;
    return;
  }
  if (!seen && ctx.maxNewBlocks !== undefined && summary.verifiedBlocks >= ctx.maxNewBlocks) {
    summary.deferredBlocks++;
    return;
  }
  const digest = await verifyEntryList(ctx.portal, block, findings, ctx.log);
  if (digest === null) return;
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
    return;
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
export function pickRecheck(state: MonitorState, head: number, count: number): Set<number> {
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
