/**
 * The stored form of a compact JWS (migration 0010): `entries.jws` is `bytea`, each base64url
 * symbol packed into 6 bits, so 577 characters of JWS take 436 bytes instead of 577.
 *
 * The JWS is NOT base64-decoded: a segment whose last symbol has non-zero trailing bits would not
 * come back as the same text, and the entry hash is the Keccak-256 of the exact text. Packing the
 * symbols themselves is lossless for any string of base64url symbols and two dots.
 *
 * Layout: LEB128 (header length + 1), LEB128 (payload length), LEB128 (signature length), then the
 * symbols of the three segments, without the dots, 6 bits each, most significant bit first, the
 * last byte filled with zero bits. Any other string is stored as a 0 byte followed by its UTF-8.
 *
 * The SQL functions `sealbook_pack_jws` / `sealbook_unpack_jws` (migration 0010) do the same, so
 * that existing rows migrate and people can read and write rows in SQL; a test checks they agree.
 * Reading is strict: stored bytes that are not exactly what packing their text gives back (a
 * changed padding bit, an overlong length, a stray byte) read as a text that is no JWS (`unreadable`
 * below), so every change to a stored row changes what the audit hashes.
 */

/** The compact JWS shape that is packed; anything else is stored raw. Also in migration 0010. */
const PACKABLE = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

const RAW_TAG = 0;

/** What stored bytes that no text packs to read as (also in migration 0010): no JWS, so its hash matches no entry. */
function unreadable(stored: Uint8Array): string {
  return `unreadable stored JWS 0x${Buffer.from(stored).toString("hex")}`;
}

function pushVarint(out: number[], value: number): void {
  while (value >= 0x80) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 0x80);
  }
  out.push(value);
}

/** Reads a LEB128 number at `at`; null past the end or beyond 2^28 (no JWS is that long). */
function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } | null {
  let value = 0;
  for (let i = 0; i < 4 && at + i < bytes.length; i++) {
    const byte = bytes[at + i];
    value += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) return { value, next: at + i + 1 };
  }
  return null;
}

/** `n` base64url symbols as 6-bit groups, zero-filled to whole bytes: ceil(6n / 8) bytes. */
function symbolBits(symbols: string): Buffer {
  // base64url decoding of whole 4-symbol groups is exactly this bit packing; pad with 'A' (0).
  const padded = symbols + "A".repeat((4 - (symbols.length % 4)) % 4);
  return Buffer.from(padded, "base64url").subarray(0, Math.ceil((symbols.length * 6) / 8));
}

/**
 * The stored form of `jws`: lossless for any string PostgreSQL text could hold.
 * Throws on a NUL character, which the text column this replaces could not hold either.
 */
export function packJws(jws: string): Buffer {
  if (!PACKABLE.test(jws)) {
    if (jws.includes("\0")) throw new Error(`A JWS with a NUL character cannot be stored: ${JSON.stringify(jws.slice(0, 80))}`);
    return Buffer.concat([Buffer.of(RAW_TAG), Buffer.from(jws, "utf8")]);
  }
  const [header, payload, signature] = jws.split(".");
  const lengths: number[] = [];
  pushVarint(lengths, header.length + 1);
  pushVarint(lengths, payload.length);
  pushVarint(lengths, signature.length);
  return Buffer.concat([Buffer.from(lengths), symbolBits(header + payload + signature)]);
}

/** The text `stored` holds; bytes that `packJws` would not have written read as an unreadable marker, never throw. */
export function unpackJws(stored: Uint8Array): string {
  const text = decode(stored);
  return text !== null && Buffer.from(packJws(text)).equals(stored) ? text : unreadable(stored);
}

function decode(stored: Uint8Array): string | null {
  const first = readVarint(stored, 0);
  if (!first) return null;
  if (first.value === RAW_TAG) {
    try {
      const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(stored.subarray(1));
      return text.includes("\0") ? null : text;
    } catch {
      return null; // not UTF-8: no text was stored this way
    }
  }
  const second = readVarint(stored, first.next);
  const third = second && readVarint(stored, second.next);
  if (!third) return null;
  const lengths = [first.value - 1, second.value, third.value];
  const total = lengths[0] + lengths[1] + lengths[2];
  const bits = stored.subarray(third.next);
  if (bits.length !== Math.ceil((total * 6) / 8)) return null;
  const whole = Buffer.alloc(Math.ceil(bits.length / 3) * 3);
  whole.set(bits);
  const symbols = whole.toString("base64url");
  return `${symbols.slice(0, lengths[0])}.${symbols.slice(lengths[0], lengths[0] + lengths[1])}.${symbols.slice(lengths[0] + lengths[1], total)}`;
}
