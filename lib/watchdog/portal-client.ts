/**
 * What a watchdog asks a Sealbook portal, through its public HTTP API only. Every answer is
 * checked against the documented shape (an answer that is not is an AnswerError); every request
 * is retried with backoff (retry.ts) before the portal is declared unreachable.
 */
import { z } from "zod";
import { parseProofBundle, type ProofBundle } from "../protocol/bundle";
import type { Hash } from "../protocol/hex";
import { blockListSchema, blockSchema } from "../protocol/wire/ledger";
import { hashSchema } from "../protocol/wire/primitives";
import { readEntryList, type EntryList } from "./entry-list";
import { AnswerError, DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry";

const hash = hashSchema;

const ledgerSchema = z.object({
  ledgerId: z.string().min(1),
  genesisRoot: hash,
  head: z.object({ height: z.number().int().min(0), root: hash }),
  chainId: z.number().int().nullable().optional(),
  registry: z.string().nullable().optional(),
});


/** `GET /api/v1/ledger`, the fields a watchdog reads. */
export type PortalLedger = z.infer<typeof ledgerSchema>;
/** A block header as `GET /api/v1/blocks` lists it. */
export type PortalBlock = z.infer<typeof blockSchema>;

/** What `GET /api/v1/proofs/{entryHash}` said. */
export type ProofAnswer = { status: "sealed"; bundle: ProofBundle } | { status: "pending"; acceptedAt: string | null } | { status: "unknown" };

export interface PortalClient {
  readonly baseUrl: string;
  ledger(): Promise<PortalLedger>;
  /** Every block header, newest first, page by page (200 a page); stops below `downTo`. */
  blocks(downTo?: number): Promise<PortalBlock[]>;
  /** A block's whole entry list, streamed into packed bytes (see entry-list.ts). */
  entries(height: number, expectedCount: number): Promise<EntryList>;
  proof(entryHash: Hash): Promise<ProofAnswer>;
}

export interface PortalClientOptions {
  retry?: RetryPolicy;
  /** Per request; the entry list stream gets ten times as long (default 15 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A client of the portal at `baseUrl` (e.g. `https://ledger.example.org`).
 * Methods throw AnswerError for an answer of the wrong shape, UnreachableError when every retry failed.
 */
export function createPortalClient(baseUrl: string, options: PortalClientOptions = {}): PortalClient {
  const root = baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const retry = options.retry ?? DEFAULT_RETRY;

  /** One GET; a 5xx, 429 or network failure throws a plain Error (a blip), anything unexpected an AnswerError. */
  const get = async (path: string, accept: number[], timeout = timeoutMs): Promise<Response> => {
    const response = await doFetch(`${root}${path}`, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(timeout) });
    if (accept.includes(response.status)) return response;
    await response.body?.cancel();
    const why = `${root}${path} answered ${response.status} ${response.statusText}`.trim();
    if (response.status >= 500 || response.status === 429 || response.status === 408) throw new Error(why);
    throw new AnswerError(why);
  };
  const getJson = async <T>(path: string, schema: z.ZodType<T>, what: string): Promise<T> =>
    withRetry(
      what,
      async () => {
        const response = await get(path, [200]);
        let body: unknown;
        try {
          body = await response.json();
        } catch (error) {
          throw new AnswerError(`${what}: the answer is not JSON (${(error as Error).message}).`);
        }
        const parsed = schema.safeParse(body);
        if (!parsed.success) throw new AnswerError(`${what}: the answer is not what the API documents (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}).`);
        return parsed.data;
      },
      retry,
      options.sleep,
    );

  return {
    baseUrl: root,
    ledger: () => getJson("/api/v1/ledger", ledgerSchema, `Reading ${root}/api/v1/ledger`),
    async blocks(downTo = 1) {
      const all: PortalBlock[] = [];
      let cursor: number | null = null;
      for (;;) {
        const page: z.infer<typeof blockListSchema> = await getJson(
          `/api/v1/blocks?limit=200${cursor === null ? "" : `&cursor=${cursor}`}`,
          blockListSchema,
          `Listing the blocks of ${root}`,
        );
        all.push(...page.blocks);
        const lowest = page.blocks.at(-1)?.height ?? 0;
        if (page.nextCursor === null || lowest <= downTo) return all;
        if (cursor !== null && page.nextCursor >= cursor) throw new AnswerError(`The block list of ${root} does not move on (cursor ${page.nextCursor} after ${cursor}).`);
        cursor = page.nextCursor;
      }
    },
    entries: (height, expectedCount) =>
      withRetry(
        `Downloading the entries of block ${height} from ${root}`,
        async () => {
          const response = await get(`/api/v1/blocks/${height}/entries?download=json`, [200], timeoutMs * 10);
          if (!response.body) throw new AnswerError(`The entry list of block ${height} is empty.`);
          return readEntryList(response.body, expectedCount, expectedCount + 1);
        },
        retry,
        options.sleep,
      ),
    proof: (entryHash) =>
      withRetry(
        `Fetching the proof of ${entryHash} from ${root}`,
        async (): Promise<ProofAnswer> => {
          const response = await get(`/api/v1/proofs/${entryHash}`, [200, 202, 404]);
          const body = (await response.json().catch(() => {
            throw new AnswerError(`The proof answer for ${entryHash} (${response.status}) is not JSON.`);
          })) as Record<string, unknown>;
          // Only the API's own "not found" counts: a 404 page of a proxy in front of it says nothing about the entry.
          if (response.status === 404) {
            if (body.code !== "not_found") throw new AnswerError(`The proof answer for ${entryHash} is a 404 without the API's not_found problem document.`);
            return { status: "unknown" };
          }
          if (response.status === 202) return { status: "pending", acceptedAt: typeof body.acceptedAt === "string" ? body.acceptedAt : null };
          try {
            return { status: "sealed", bundle: parseProofBundle(body) };
          } catch (error) {
            throw new AnswerError((error as Error).message);
          }
        },
        retry,
        options.sleep,
      ),
  };
}
