import type { LedgerContext } from "../ledger/context";
import { getBlock, getBlockByRoot, getEntryStatus } from "../ledger/reads";
import type { Hash } from "../protocol/hex";
import { findBlockHeightByAnchorTx } from "../ledger/activity";

/** What the one search box was given, once read. */
export type SearchQuery =
  | { kind: "height"; height: number }
  | { kind: "hash"; hash: Hash }
  | { kind: "invalid"; reason: string; code: SearchProblem["code"]; values?: SearchProblem["values"] };

/**
 * Why a search found nothing, as a code and its values, so the portal can say it in the reader's
 * language (messages/<locale>/search.json, `reason.<code>`); `reason`/`message` keep the English.
 */
export type SearchProblem = { code: "too_long" | "empty" | "height_zero" | "not_hash" | "no_block" | "no_hash"; values?: Record<string, string | number> };

/** The longest search text read; anything longer is refused unread (a height or a hash is far shorter). */
export const MAX_SEARCH_LENGTH = 200;

/**
 * Reads the search box: a block height ("42", "#42", "block 42") or a 32-byte hash in hex, with or
 * without 0x, in either case (an entry hash, a block root or an anchoring transaction).
 */
export function parseSearchQuery(raw: string): SearchQuery {
  if (raw.length > MAX_SEARCH_LENGTH) {
    return {
      kind: "invalid",
      reason: `The search text is ${raw.length} characters long; it takes at most ${MAX_SEARCH_LENGTH}.`,
      code: "too_long",
      values: { length: raw.length, max: MAX_SEARCH_LENGTH },
    };
  }
  const text = raw.trim();
  if (text === "") return { kind: "invalid", reason: "The search box was empty.", code: "empty" };
  // One run of white space at most between the parts: two adjacent `\s*` made "block" followed by
  // many spaces quadratic to refuse.
  const height = /^(?:block)?\s*(?:#\s*)?([0-9]{1,10})$/i.exec(text);
  if (height) {
    const value = Number(height[1]);
    if (value >= 1 && value <= 2_147_483_647) return { kind: "height", height: value };
    return { kind: "invalid", reason: "Block heights start at 1.", code: "height_zero" };
  }
  const hex = /^(?:0x)?([0-9a-fA-F]{64})$/.exec(text);
  if (hex) return { kind: "hash", hash: `0x${hex[1].toLowerCase()}` };
  return {
    kind: "invalid",
    reason: "Search takes a block number, or a hash of 64 hexadecimal digits (an entry hash, a block root or a transaction hash).",
    code: "not_hash",
  };
}

/** Where a search leads: the page to open, or why there is none. */
export type SearchResolution = { found: true; href: string } | ({ found: false; message: string } & SearchProblem);

/**
 * Resolves a search to a page: a height to its block, a hash to its entry, to the block it is the
 * root of, or to the block its anchoring transaction published, in that order.
 */
export async function resolveSearch(ctx: LedgerContext, raw: string): Promise<SearchResolution> {
  const query = parseSearchQuery(raw);
  if (query.kind === "invalid") return { found: false, message: query.reason, code: query.code, values: query.values };
  if (query.kind === "height") {
    const block = await getBlock(ctx, query.height);
    return block
      ? { found: true, href: `/blocks/${block.height}` }
      : { found: false, message: `There is no sealed block number ${query.height} yet.`, code: "no_block", values: { height: String(query.height) } };
  }
  if (await getEntryStatus(ctx, query.hash)) return { found: true, href: `/entries/${query.hash}` };
  const byRoot = await getBlockByRoot(ctx, query.hash);
  if (byRoot) return { found: true, href: `/blocks/${byRoot.height}` };
  const byTx = await findBlockHeightByAnchorTx(ctx, query.hash);
  if (byTx !== null) return { found: true, href: `/blocks/${byTx}` };
  return {
    found: false,
    message: `No entry, block root or anchoring transaction in this ledger has the hash ${query.hash}.`,
    code: "no_hash",
    values: { hash: query.hash },
  };
}
