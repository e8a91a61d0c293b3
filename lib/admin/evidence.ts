/**
 * The console's Evidence page: the selection an operator or auditor asks for, checked with zod,
 * and the bundle written for it. Each bundle made is written to the admin log by the route.
 */
import { z } from "zod";
import { HASH_ANY_CASE_PATTERN } from "../protocol/hex";
import { evidenceChunks, planEvidence, planSummary, type EvidencePlan, type EvidenceSelection } from "../ledger/evidence";
import { evidenceReceiptIssuer } from "../chain/evidence-receipts";
import type { Runtime } from "../ledger/runtime";

const MAX_NAMED = 100_000;

/** What the page sends: one of the three selections of `sealbook evidence`, and whether the bundle is public. */
export const evidenceRequestSchema = z.object({
  selection: z.discriminatedUnion("by", [
    z.object({ by: z.literal("entries"), entryHashes: z.array(z.string().regex(HASH_ANY_CASE_PATTERN, { error: "an entry hash is 0x and 64 hex digits" })).min(1).max(MAX_NAMED) }),
    z.object({ by: z.literal("records"), recordIds: z.array(z.uuid({ error: "a record id is a UUID" })).min(1).max(MAX_NAMED) }),
    z.object({ by: z.literal("signer"), kid: z.string().min(1).max(128), from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }),
  ]),
  public: z.boolean().default(false),
});
export type EvidenceRequest = z.infer<typeof evidenceRequestSchema>;

/** The ledger's form of a checked request's selection. */
export function selectionOf(request: EvidenceRequest): EvidenceSelection {
  const s = request.selection;
  if (s.by === "entries") return { by: "entries", entryHashes: s.entryHashes.map((h) => h.toLowerCase() as `0x${string}`) };
  if (s.by === "records") return s;
  return { by: "signer", kid: s.kid, from: new Date(s.from), to: new Date(s.to) };
}

/** What the page shows before the download: counts, blocks, and whether they are anchored. */
export async function previewEvidence(runtime: Runtime, request: EvidenceRequest) {
  return planSummary(await planEvidence(runtime.ledger, selectionOf(request)));
}

/** The bundle of a plan as a stream of UTF-8 bytes, with the receipts this ledger signs. */
export async function evidenceStream(runtime: Runtime, plan: EvidencePlan, isPublic: boolean): Promise<ReadableStream<Uint8Array>> {
  const { issuer } = await evidenceReceiptIssuer(runtime.config);
  const chunks = evidenceChunks(runtime.ledger, plan, { public: isPublic, receipts: issuer });
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
