import { ProtocolError } from "../protocol/errors";
import { isHash, type Hash } from "../protocol/hex";
import { decodePathSegment } from "../protocol/text";

/** Reads a block height from a path segment. Throws ProtocolError `invalid_request` unless it is 1 or more. */
export function parseHeight(segment: string): number {
  const height = Number(segment);
  if (!/^[0-9]{1,10}$/.test(segment) || !Number.isSafeInteger(height) || height < 1 || height > 2_147_483_647) {
    throw new ProtocolError("invalid_request", `A block height is a whole number from 1; got ${JSON.stringify(segment)}.`, { height: segment });
  }
  return height;
}

/** Reads an entry hash from a path segment (either case). Throws ProtocolError `invalid_request`. */
export function parseEntryHash(segment: string): Hash {
  const lower = decodePathSegment(segment)?.toLowerCase() ?? "";
  if (!isHash(lower)) {
    throw new ProtocolError("invalid_request", `An entry hash is 0x and 64 hex digits; got ${JSON.stringify(segment.slice(0, 80))}.`);
  }
  return lower;
}
