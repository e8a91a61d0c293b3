import { ProtocolError } from "./errors";

/** At most this many certificates in a record's `x5c` header. */
export const MAX_X5C_ENTRIES = 5;

/** At most this many bytes of DER per `x5c` certificate. */
export const MAX_X5C_ENTRY_BYTES = 8 * 1024;

/** The base64 length of MAX_X5C_ENTRY_BYTES of DER. */
const MAX_X5C_ENTRY_CHARS = 4 * Math.ceil(MAX_X5C_ENTRY_BYTES / 3);

/** Standard base64 with its padding, as RFC 7515 §4.1.6 requires; linear to match (no nested repetition that can backtrack). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Checks the form of a JWS `x5c` header without decoding a certificate: a non-empty array of at
 * most MAX_X5C_ENTRIES strings, each standard base64 of DER (RFC 7515 §4.1.6: never PEM, never
 * base64url) of at most MAX_X5C_ENTRY_BYTES. The cost is linear in the header's size, so a
 * hostile header is refused before anything parses it. Returns the entries.
 * Throws ProtocolError `invalid_jws` naming the rule and the entry.
 */
export function checkX5cForm(x5c: unknown): string[] {
  if (!Array.isArray(x5c) || x5c.length === 0) {
    throw new ProtocolError("invalid_jws", "The JWS `x5c` header must be a non-empty array of base64 DER certificates (RFC 7515 §4.1.6).");
  }
  if (x5c.length > MAX_X5C_ENTRIES) {
    throw new ProtocolError("invalid_jws", `The JWS \`x5c\` header holds ${x5c.length} certificates; at most ${MAX_X5C_ENTRIES} are accepted.`, {
      count: x5c.length,
      limit: MAX_X5C_ENTRIES,
    });
  }
  x5c.forEach((entry, index) => {
    if (typeof entry !== "string") throw new ProtocolError("invalid_jws", `x5c[${index}] is not a string; each entry is one base64 DER certificate.`, { index });
    if (entry.length > MAX_X5C_ENTRY_CHARS) {
      throw new ProtocolError("invalid_jws", `x5c[${index}] is ${entry.length} base64 characters; a certificate may be at most ${MAX_X5C_ENTRY_BYTES} bytes of DER (${MAX_X5C_ENTRY_CHARS} characters).`, {
        index,
        length: entry.length,
        limit: MAX_X5C_ENTRY_CHARS,
      });
    }
    if (entry.length === 0 || !BASE64.test(entry)) {
      throw new ProtocolError("invalid_jws", `x5c[${index}] is not standard base64 of a DER certificate (RFC 7515 §4.1.6: no PEM armour, no line breaks, no base64url).`, { index });
    }
  });
  return x5c as string[];
}
