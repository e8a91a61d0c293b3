import { ProtocolError } from "../protocol/errors";

/**
 * Reads a request body as text, refusing it as soon as it passes `limit` bytes, before anything
 * parses it. Throws ProtocolError `payload_too_large`.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > limit) {
    throw new ProtocolError("payload_too_large", `The request body is ${declared} bytes; at most ${limit} are accepted here.`, {
      size: declared,
      limit,
    });
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ProtocolError("payload_too_large", `The request body passes ${limit} bytes, the most accepted here.`, { limit });
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(joined);
  } catch (cause) {
    throw new ProtocolError("invalid_jws", "The request body is not UTF-8 text.", {}, { cause });
  }
}

/** The media type of a request, lower-case, without parameters. */
export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/**
 * Reads an integer query parameter within [min, max], or `fallback` when absent.
 * Throws ProtocolError `invalid_request` naming the parameter otherwise.
 */
export function intParam(url: URL, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ProtocolError("invalid_request", `The query parameter ${name} must be a whole number from ${min} to ${max}; got ${JSON.stringify(raw)}.`, {
      parameter: name,
      value: raw,
    });
  }
  return value;
}

/** Cache header for answers about sealed data, which never change. */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/** An anchored answer whose anchor a reorg could still drop (lib/chain/anchoring/finality.ts): cached a minute. */
export const ANCHORED_NOT_FINAL = "public, max-age=60";

/** A sealed block's answer before its anchor exists: it may still gain one. */
export const NOT_ANCHORED_YET = "public, max-age=10";
/** Cache header for answers that change as the ledger grows. */
export const SHORT_LIVED = "public, max-age=5";

/** A JSON response. */
export function json(body: unknown, init: { status?: number; cacheControl?: string; headers?: HeadersInit } = {}): Response {
  const text = JSON.stringify(body);
  const response = new Response(text, {
    status: init.status ?? 200,
    headers: { "content-type": "application/json", "cache-control": init.cacheControl ?? "no-store", ...init.headers },
  });
  textBodies.set(response, text);
  return response;
}

const textBodies = new WeakMap<Response, string>();

/**
 * The body `json()` gave `response`, when it made it: lets the fast routes of `npm start`'s server
 * write the text straight to the socket instead of reading it back out of the Response's stream.
 */
export function textBodyOf(response: Response): string | undefined {
  return textBodies.get(response);
}
