/**
 * When an anchor is final (issue 12, item 16). CONFIRMATIONS says when the anchoring job counts an
 * anchor; a reorg shallower than the chain's finality can still drop it. Answers that carry an
 * anchor are cached for a year (`immutable`) only once the anchor is FINALITY_DEPTH blocks deep
 * (64 by default: two epochs of Ethereum mainnet, after which a block is finalized; set it for
 * other chains), judged by the chain head this process last saw while anchoring. A process that
 * saw none (a read-only server, or a worker elsewhere) never says final unless
 * CONFIRMATIONS ≥ FINALITY_DEPTH.
 */

const HEADS_KEY = Symbol.for("sealbook.chain-heads");
type HeadsGlobal = typeof globalThis & { [HEADS_KEY]?: Map<number, number> };

function heads(): Map<number, number> {
  const global = globalThis as HeadsGlobal;
  return (global[HEADS_KEY] ??= new Map());
}

/** Remembers the latest block number this process saw on chain `chainId` (the anchoring pass calls it). */
export function noteChainHead(chainId: number, blockNumber: number): void {
  const known = heads().get(chainId);
  if (known === undefined || blockNumber > known) heads().set(chainId, blockNumber);
}

/** The latest block number this process saw on `chainId`, or null. */
export function chainHeadSeen(chainId: number): number | null {
  return heads().get(chainId) ?? null;
}

/**
 * Whether an anchor mined in `anchor.blockNumber` of `anchor.chainId` is at least `finalityDepth`
 * blocks deep (its own block included): certainly when `confirmations` (the depth at which it was
 * counted) reaches the finality depth, or when the chain head seen says so.
 */
export function isAnchorFinal(anchor: { chainId: number; blockNumber: number }, depths: { finalityDepth: number; confirmations: number }): boolean {
  if (depths.confirmations >= depths.finalityDepth) return true;
  const head = chainHeadSeen(anchor.chainId);
  return head !== null && head - anchor.blockNumber + 1 >= depths.finalityDepth;
}
