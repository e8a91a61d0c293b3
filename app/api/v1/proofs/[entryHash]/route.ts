import { proofForEntry } from "@/lib/ledger/proofs";
import { ProtocolError } from "@/lib/protocol/errors";
import { answerProblems } from "@/lib/http/problem";
import { IMMUTABLE, json } from "@/lib/http/request";
import { parseEntryHash } from "@/lib/http/params";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** The proof bundle of an entry (PROTOCOL §5): 200 sealed, 202 pending, 404 unknown. */
export async function GET(_request: Request, context: { params: Promise<{ entryHash: string }> }): Promise<Response> {
  return answerProblems(async () => {
    const entryHash = parseEntryHash((await context.params).entryHash);
    const answer = await proofForEntry(await getLedger(), entryHash);
    if (answer.status === "unknown") {
      throw new ProtocolError("not_found", `No record with entry hash ${entryHash} was accepted by this ledger.`, { entryHash });
    }
    if (answer.status === "pending") {
      return json({ status: "pending", entryHash, acceptedAt: answer.acceptedAt.toISOString() }, { status: 202 });
    }
    return json(answer.bundle, { cacheControl: answer.bundle.anchor ? IMMUTABLE : "public, max-age=10" });
  });
}
