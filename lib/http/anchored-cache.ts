import { isAnchorFinal } from "../chain/anchoring/finality";
import type { SealbookConfig } from "../config";
import { ANCHORED_NOT_FINAL, IMMUTABLE, NOT_ANCHORED_YET } from "./request";

/**
 * The Cache-Control of an answer about a sealed block (a block header, a proof bundle): a year and
 * `immutable` once its anchor is final (FINALITY_DEPTH deep), a minute while a reorg could still
 * drop the anchor, ten seconds before it has one.
 */
export function anchoredCacheControl(anchor: { chainId: number; blockNumber: number } | null, config: Pick<SealbookConfig, "FINALITY_DEPTH" | "CONFIRMATIONS">): string {
  if (!anchor) return NOT_ANCHORED_YET;
  return isAnchorFinal(anchor, { finalityDepth: config.FINALITY_DEPTH, confirmations: Math.max(1, config.CONFIRMATIONS) }) ? IMMUTABLE : ANCHORED_NOT_FINAL;
}
