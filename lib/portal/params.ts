import { isHash, type Hash } from "../protocol/hex";
import { decodePathSegment } from "../protocol/text";

/** A block height from a path segment, or null when it is not a whole number from 1. */
export function heightFromSegment(segment: string): number | null {
  if (!/^[0-9]{1,10}$/.test(segment)) return null;
  const height = Number(segment);
  return height >= 1 && height <= 2_147_483_647 ? height : null;
}

/** A 1-based page number from a path segment, or null. */
export function pageFromSegment(segment: string): number | null {
  if (!/^[0-9]{1,7}$/.test(segment)) return null;
  const page = Number(segment);
  return page >= 1 ? page : null;
}

/** An entry hash from a path segment (either case), or null. */
export function entryHashFromSegment(segment: string): Hash | null {
  const value = decodePathSegment(segment)?.toLowerCase() ?? "";
  return isHash(value) ? value : null;
}

/** How many entries a page of a block's entry list shows. */
export const ENTRIES_PER_PAGE = 25;
