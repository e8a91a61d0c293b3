import { derivedPendingError } from "../ledger/derived";
import { proofForEntry } from "../ledger/proofs";
import { metrics } from "../observability/metrics";
import { ProtocolError } from "../protocol/errors";
import { getLedger } from "../server/runtime";
import { parseEntryHash } from "./params";
import { answerProblems } from "./problem";
import { IMMUTABLE, json } from "./request";

/**
 * The answer of `GET /api/v1/proofs/{entryHash}` (PROTOCOL §5): 200 with the bundle when sealed,
 * 202 pending, 404 unknown, 503 with Retry-After while the entry's block's tree is being written. The route handler and the fast route of `npm start` both call it.
 */
export async function proofResponse(entryHashParam: string): Promise<Response> {
  return answerProblems(async () => {
    const entryHash = parseEntryHash(entryHashParam);
    const answer = await proofForEntry(await getLedger(), entryHash);
    metrics().proofsServed.inc({ status: answer.status });
    if (answer.status === "unknown") {
      throw new ProtocolError("not_found", `No record with entry hash ${entryHash} was accepted by this ledger.`, { entryHash });
    }
    if (answer.status === "deriving") throw derivedPendingError(answer.height);
    if (answer.status === "pending") {
      return json({ status: "pending", entryHash, acceptedAt: answer.acceptedAt.toISOString() }, { status: 202 });
    }
    return json(answer.bundle, { cacheControl: answer.bundle.anchor ? IMMUTABLE : "public, max-age=10" });
  });
}
