import { base64url, compactVerify, importJWK, type JWK } from "jose";
import { z } from "zod";
import { ProtocolError } from "./errors";
import { entryHashOf } from "./hash";
import { HASH_PATTERN, type Hash } from "./hex";
import { repeatedMemberName } from "./json-members";
import { checkX5cForm } from "./x5c";

/** The signature algorithms a record may use (PROTOCOL §1). Anything else, `none` included, is rejected. */
export const RECORD_ALGS = ["EdDSA", "ES256"] as const;
export type RecordAlg = (typeof RECORD_ALGS)[number];

/** A whole compact JWS is at most 64 KiB (PROTOCOL §1). */
export const MAX_JWS_BYTES = 64 * 1024;

/** How deep a record body may nest. Deeper bodies are rejected before anything walks them. */
export const MAX_BODY_DEPTH = 32;

const SEGMENT = /^[A-Za-z0-9_-]*$/;

/**
 * A key id as the ledger issues them: base64url, at most 64 characters (an RFC 7638 SHA-256
 * thumbprint is 43). Checked before any lookup, so that no other text (a NUL, a megabyte of
 * anything) reaches the signer directory's query.
 */
export const KID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Rejects bytes that are not UTF-8 instead of replacing them, and keeps a leading byte-order mark
 * (the default would strip it silently) so that `decodeJsonSegment` can refuse it. One instance
 * serves every record.
 */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const BYTE_ORDER_MARK = "\uFEFF";

/**
 * Decodes one base64url JWS segment to the UTF-8 JSON text it carries, with its parsed value.
 * I-JSON (RFC 7493, PROTOCOL §1): a text that starts with a byte-order mark is refused, since
 * RFC 8259 §8.1 forbids sending one and other languages' parsers refuse it.
 * Throws ProtocolError `code` naming `what`.
 */
function decodeJsonSegment(segment: string, code: "invalid_jws" | "invalid_payload", what: string): { text: string; value: unknown } {
  let text: string;
  try {
    text = strictUtf8.decode(base64url.decode(segment));
  } catch (cause) {
    throw new ProtocolError(code, `The ${what} is not base64url-encoded UTF-8.`, {}, { cause });
  }
  if (text.startsWith(BYTE_ORDER_MARK)) {
    throw new ProtocolError(code, `The ${what} starts with a byte-order mark (U+FEFF); JSON texts must not (RFC 8259 §8.1, I-JSON).`, {
      byteOrderMark: true,
    });
  }
  try {
    return { text, value: JSON.parse(text) };
  } catch (cause) {
    throw new ProtocolError(code, `The ${what} is not JSON.`, {}, { cause });
  }
}

/** The payload a submitter signs (PROTOCOL §1). No other fields are allowed. */
export const recordPayloadSchema = z.strictObject({
  id: z.uuid({ error: "id must be a UUID" }),
  kind: z.string().regex(/^[a-z][a-z0-9_.-]{0,63}$/, { error: "kind must match ^[a-z][a-z0-9_.-]{0,63}$" }),
  prevRoot: z.string().regex(HASH_PATTERN, { error: "prevRoot must be 0x and 64 lowercase hex digits" }),
  createdAt: z.iso.datetime({ offset: true, error: "createdAt must be an RFC 3339 timestamp" }),
  body: z.record(z.string(), z.unknown(), { error: "body must be a JSON object" }),
});

export type RecordPayload = z.infer<typeof recordPayloadSchema> & { prevRoot: Hash };

/** The protected header fields the ledger reads. */
export interface RecordHeader {
  alg: RecordAlg;
  kid: string;
  /** The signer's certificate chain (base64 DER), when the record carries one. */
  x5c?: string[];
}

/** A record whose form has been checked, but whose signature has not been verified yet. */
export interface DecodedRecord {
  jws: string;
  entryHash: Hash;
  header: RecordHeader;
  payload: RecordPayload;
}

/**
 * Checks the size, the compact form, the protected header and the payload of a record, and
 * computes its entry hash. It does not verify the signature: see `verifyRecordSignature`.
 * Throws ProtocolError `payload_too_large`, `invalid_jws`, `unsupported_alg` or `invalid_payload`.
 */
export function decodeRecord(jws: string): DecodedRecord {
  if (typeof jws !== "string") throw new ProtocolError("invalid_jws", "A record must be a compact JWS string.");
  if (jws.length > MAX_JWS_BYTES) {
    throw new ProtocolError(
      "payload_too_large",
      `The JWS is ${jws.length} bytes; a record may be at most ${MAX_JWS_BYTES} bytes.`,
      { size: jws.length, limit: MAX_JWS_BYTES },
    );
  }
  const parts = jws.split(".");
  if (parts.length !== 3 || parts[0] === "" || parts[1] === "" || !parts.every((p) => SEGMENT.test(p))) {
    throw new ProtocolError(
      "invalid_jws",
      "A record must be a compact JWS: three base64url parts (header.payload.signature) separated by dots.",
      { parts: parts.length },
    );
  }
  const header = decodeHeader(parts[0]);
  const payload = decodePayload(parts[1]);
  return { jws, entryHash: entryHashOf(jws), header, payload };
}

function decodeHeader(segment: string): RecordHeader {
  const { text, value } = decodeJsonSegment(segment, "invalid_jws", "JWS protected header");
  const header = value as Record<string, unknown>;
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new ProtocolError("invalid_jws", "The JWS protected header must be a JSON object.");
  }
  const repeatedInHeader = repeatedMemberName(text);
  if (repeatedInHeader !== null) {
    throw new ProtocolError("invalid_jws", `The JWS protected header names ${JSON.stringify(repeatedInHeader)} twice; each name may appear once (I-JSON).`, {
      member: repeatedInHeader,
    });
  }
  if ("crit" in header) {
    throw new ProtocolError("invalid_jws", "The JWS header has a `crit` field; Sealbook records must not use one.", {
      crit: header.crit,
    });
  }
  if (!RECORD_ALGS.includes(header.alg as RecordAlg)) {
    throw new ProtocolError(
      "unsupported_alg",
      `The JWS alg ${JSON.stringify(header.alg)} is not accepted; sign with EdDSA (Ed25519) or ES256.`,
      { alg: header.alg, accepted: RECORD_ALGS },
    );
  }
  if (typeof header.kid !== "string" || !KID_PATTERN.test(header.kid)) {
    throw new ProtocolError("invalid_jws", "The JWS header needs a `kid`: the RFC 7638 thumbprint of the signer's key, base64url, at most 64 characters.", {
      kid: typeof header.kid === "string" ? header.kid.slice(0, 80) : header.kid,
    });
  }
  if ("b64" in header) {
    throw new ProtocolError("invalid_jws", "The JWS header has a `b64` field; records carry a base64url payload.");
  }
  const x5c = header.x5c === undefined ? undefined : checkX5cForm(header.x5c);
  return { alg: header.alg as RecordAlg, kid: header.kid, ...(x5c ? { x5c } : {}) };
}

function decodePayload(segment: string): RecordPayload {
  const { text, value } = decodeJsonSegment(segment, "invalid_payload", "JWS payload");
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProtocolError("invalid_payload", "The JWS payload must be a JSON object.", {
      type: Array.isArray(value) ? "array" : value === null ? "null" : typeof value,
    });
  }
  const depth = jsonDepth((value as { body?: unknown }).body, MAX_BODY_DEPTH + 1);
  if (depth > MAX_BODY_DEPTH) {
    throw new ProtocolError("invalid_payload", `The record body nests deeper than ${MAX_BODY_DEPTH} levels.`, {
      limit: MAX_BODY_DEPTH,
    });
  }
  const repeated = repeatedMemberName(text);
  if (repeated !== null) {
    throw new ProtocolError("invalid_payload", `The record payload names ${JSON.stringify(repeated)} twice in one object; each name may appear once (I-JSON, RFC 7493).`, {
      member: repeated,
    });
  }
  const parsed = recordPayloadSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ");
    throw new ProtocolError("invalid_payload", `The record payload is not valid: ${summary}.`, { issues });
  }
  return parsed.data as RecordPayload;
}

/** Depth of a JSON value, counting objects and arrays; stops counting past `limit`. */
function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (depth > deepest) deepest = depth;
    if (deepest >= limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A public key ready to verify records, as `importRecordKey` returns it. */
export type RecordVerifyKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * Imports a signer's public JWK for verifying records under `alg`.
 * Throws ProtocolError `unsupported_alg` when the key does not fit the algorithm.
 */
export async function importRecordKey(publicJwk: JWK, alg: RecordAlg): Promise<RecordVerifyKey> {
  try {
    return await importJWK(publicJwk, alg);
  } catch (cause) {
    throw new ProtocolError("unsupported_alg", `The key cannot be used with ${alg}.`, { alg }, { cause });
  }
}

/**
 * Verifies the signature of a record under the signer's key, with `alg` pinned to the key's.
 * Throws ProtocolError `bad_signature` when it does not verify.
 */
export async function verifyRecordSignature(jws: string, key: RecordVerifyKey, alg: RecordAlg): Promise<void> {
  try {
    await compactVerify(jws, key, { algorithms: [alg] });
  } catch (cause) {
    throw new ProtocolError(
      "bad_signature",
      "The record's signature does not verify under the signer's registered key.",
      {},
      { cause },
    );
  }
}
