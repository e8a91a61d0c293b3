import { derivedPendingError } from "../ledger/derived";
import { proofForEntry } from "../ledger/proofs";
import { readThrough, type Runtime } from "../ledger/runtime";
import { metrics } from "../observability/metrics";
import { ProtocolError } from "../protocol/errors";
import type { PendingEntry } from "../protocol/wire/proof-bundle";
import { anchoredCacheControl } from "./anchored-cache";
import { parseEntryHash } from "./params";
import { answerProblems } from "./problem";
import { json } from "./request";

/**
 * The answer of `GET /api/v1/proofs/{entryHash}` (PROTOCOL §5): 200 with the bundle when sealed,
 * 202 pending, 404 unknown, 503 with Retry-After while the entry's block's tree is being written. The route handler and the fast route of `npm start` both call it, with
 * their process's runtime, which is opened only once the path parameter is a well-formed entry hash.
 */
export async function proofResponse(runtime: () => Promise<Pick<Runtime, "ledger" | "config" | "reads">>, entryHashParam: string): Promise<Response> {
  return answerProblems(async () => {
    const entryHash = parseEntryHash(entryHashParam);
    const rt = await runtime();
    const { config } = rt;
    // A replica that has not replayed the seal (or the acceptance) yet answers pending or unknown: the primary then answers.
    const answer = await readThrough(rt, (ledger) => proofForEntry(ledger, entryHash), (a) => a.status === "sealed");
    metrics().proofsServed.inc({ status: answer.status });
    if (answer.status === "unknown") {
      throw new ProtocolError("not_found", `No record with entry hash ${entryHash} was accepted by this ledger.`, { entryHash });
    }
    if (answer.status === "deriving") throw derivedPendingError(answer.height);
    if (answer.status === "pending") {
      const pending: PendingEntry = { status: "pending", entryHash, acceptedAt: answer.acceptedAt.toISOString() };
      return json(pending, { status: 202 });
    }
    return json(answer.bundle, { cacheControl: anchoredCacheControl(answer.bundle.anchor, config) });
  });
}
