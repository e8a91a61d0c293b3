import { z } from "zod";
import { MAX_BATCH } from "../ledger/ingest";
import { ProtocolError } from "../protocol/errors";
import { MAX_JWS_BYTES } from "../protocol/record";
import { isFlatBatchEnvelope } from "./batch-envelope";
import { mediaType, readBodyLimited } from "./request";

const SINGLE_TYPES = ["application/jose", "text/plain", "application/json"];
/** Room for the JSON envelope around the JWS. */
const ENVELOPE_BYTES = 1024;

/**
 * Reads the JWS of a single-record submission: `application/jose` or `text/plain` carry it bare,
 * `application/json` as `{"jws": "…"}`. The size limit is enforced before anything is parsed.
 * Throws ProtocolError `payload_too_large` or `invalid_jws` (which also covers a wrong content type).
 */
export async function readSingleRecord(request: Request): Promise<string> {
  const type = mediaType(request);
  if (!SINGLE_TYPES.includes(type)) {
    throw new ProtocolError(
      "invalid_jws",
      `Content type ${JSON.stringify(type || "(none)")} is not accepted: send the JWS as application/jose, text/plain, or application/json {"jws": "…"}.`,
      { contentType: type },
    );
  }
  const isJson = type === "application/json";
  const text = await readBodyLimited(request, MAX_JWS_BYTES + (isJson ? ENVELOPE_BYTES : 2));
  if (!isJson) return text.trim();
  const parsed = z.object({ jws: z.string() }).safeParse(parseJson(text));
  if (!parsed.success) throw new ProtocolError("invalid_jws", 'The JSON body must be {"jws": "<compact JWS>"}.');
  return parsed.data.jws;
}

/**
 * Reads a batch submission `{"jws": [...]}` of at most MAX_BATCH items and `maxBytes` bytes
 * (application/json only). The size is enforced while reading, and the envelope's shape before
 * parsing: items are strings (or other scalars, each then rejected on its own), never nested.
 * Throws ProtocolError `payload_too_large` for too many items or bytes, `invalid_jws` for a bad envelope.
 */
export async function readRecordBatch(request: Request, maxBytes: number): Promise<unknown[]> {
  const type = mediaType(request);
  if (type !== "application/json") {
    throw new ProtocolError("invalid_jws", `A batch must be application/json {"jws": [ … ]}; got ${JSON.stringify(type || "(none)")}.`, {
      contentType: type,
    });
  }
  const text = await readBodyLimited(request, maxBytes);
  if (!isFlatBatchEnvelope(text)) throw new ProtocolError("invalid_jws", 'The batch body must be {"jws": ["<compact JWS>", …]}, with nothing nested in it.');
  const items = (parseJson(text) as { jws: unknown[] }).jws;
  if (items.length > MAX_BATCH) {
    throw new ProtocolError("payload_too_large", `A batch may hold at most ${MAX_BATCH} records; this one has ${items.length}.`, {
      count: items.length,
      limit: MAX_BATCH,
    });
  }
  if (items.length === 0) throw new ProtocolError("invalid_jws", "The batch is empty.");
  return items;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProtocolError("invalid_jws", "The request body is not valid JSON.", {}, { cause });
  }
}
