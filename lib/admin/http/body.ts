import type { z } from "zod";
import { ProtocolError } from "../../protocol/errors";
import { containsNul } from "../../protocol/text";
import { mediaType, readBodyLimited } from "../../http/request";

/**
 * Reads an admin request's JSON body (at most `limit` bytes) and validates it with `schema`.
 * Throws ProtocolError `invalid_request` naming each problem, or `payload_too_large`.
 */
export async function readJsonBody<S extends z.ZodType>(request: Request, schema: S, limit = 16 * 1024): Promise<z.infer<S>> {
  if (mediaType(request) !== "application/json") throw new ProtocolError("invalid_request", "Send the request body as application/json.");
  const text = await readBodyLimited(request, limit);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ProtocolError("invalid_request", "The request body is not valid JSON.", {}, { cause });
  }
  // PostgreSQL text cannot hold U+0000: refused here once, for every admin input (emails, labels, reasons …).
  if (containsNul(value)) throw new ProtocolError("invalid_request", "The request body contains a NUL character (U+0000), which no field accepts.");
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
    throw new ProtocolError("invalid_request", `The request is not valid: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}.`, { issues });
  }
  return parsed.data;
}
