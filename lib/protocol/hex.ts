/** A 32-byte hash written as lowercase `0x`-prefixed hex (PROTOCOL.md, "Hashes are written as…"). */
export type Hash = `0x${string}`;

/** A hash in the protocol's canonical form: `0x` and 64 lowercase hex digits. */
export const HASH_PATTERN = /^0x[0-9a-f]{64}$/;

/** A hash as a reader accepts it: `0x` and 64 hex digits of either case (lowercase it before use). */
export const HASH_ANY_CASE_PATTERN = /^0x[0-9a-fA-F]{64}$/;

/** The hash of 32 zero bytes: what the registry answers for a height it holds no root for. */
export const ZERO_HASH: Hash = `0x${"0".repeat(64)}`;

/** Tells whether `value` is a hash in the protocol's canonical form: `0x` and 64 lowercase hex digits. */
export function isHash(value: unknown): value is Hash {
  return typeof value === "string" && HASH_PATTERN.test(value);
}

const HEX_DIGITS = "0123456789abcdef";
const BYTE_TO_HEX: string[] = Array.from({ length: 256 }, (_, b) => HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 15]);

/** Writes bytes as lowercase `0x` hex. */
export function bytesToHex(bytes: Uint8Array): Hash {
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += BYTE_TO_HEX[bytes[i]];
  return out as Hash;
}

/**
 * Reads `0x`-prefixed hex (either case) into bytes.
 * Throws a TypeError naming the value when it is not hex of an even length.
 */
export function hexToBytes(hex: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) {
    throw new TypeError(`Expected 0x-prefixed hex of whole bytes, got ${JSON.stringify(hex.slice(0, 80))}.`);
  }
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/**
 * Reads a protocol hash into its 32 bytes.
 * Throws a TypeError when `hash` is not canonical (see `isHash`).
 */
export function hashToBytes(hash: string): Uint8Array {
  if (!isHash(hash)) {
    throw new TypeError(`Expected a hash as 0x and 64 lowercase hex digits, got ${JSON.stringify(hash.slice(0, 80))}.`);
  }
  return hexToBytes(hash);
}

/** Compares two byte strings as unsigned big-endian numbers: negative, zero or positive. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}
