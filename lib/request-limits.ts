import { z } from "zod";

/**
 * The limits a public server needs (README "Security: Limits"), as part of the one configuration
 * (`lib/config.ts`). Every one is optional; `0` turns a rate limit off.
 */
export const requestLimitsSchema = z.object({
  /** Interface the server binds. Unset: every interface (as before). `127.0.0.1` when a reverse proxy on the same machine is the only way in. */
  HOST: z.string().optional(),
  /** A batch body larger than this is refused with 413 while it is read (8 MiB: 1,000 records of 8 KiB). */
  BATCH_MAX_BYTES: z.coerce.number().int().min(64 * 1024).default(8 * 1024 * 1024),
  /** Batch requests read and processed at once; more wait their turn (up to 8 per slot), then 429. */
  BATCH_MAX_CONCURRENT: z.coerce.number().int().min(1).max(64).default(2),
  /** Record submissions (single or batch) per second from one client address; bursts of twice that. 0: no limit. */
  RATE_LIMIT_SUBMISSIONS: z.coerce.number().min(0).default(100),
  /** Other public requests (API reads and portal pages) per second from one client address; bursts of twice that. 0: no limit. */
  RATE_LIMIT_READS: z.coerce.number().min(0).default(200),
  /** Seconds a client has to send the request headers (node's headersTimeout). */
  HTTP_HEADERS_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
  /** Seconds a client has to send the whole request, body included (node's requestTimeout). */
  HTTP_REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  /** Open connections at most; further ones are closed at once. */
  MAX_CONNECTIONS: z.coerce.number().int().min(1).default(1024),
});

export type RequestLimits = z.infer<typeof requestLimitsSchema>;
