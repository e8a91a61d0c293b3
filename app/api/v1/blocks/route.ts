import { listBlocks } from "@/lib/ledger/reads";
import { answerProblems } from "@/lib/http/problem";
import { intParam, json, SHORT_LIVED } from "@/lib/http/request";
import { serializeBlock } from "@/lib/http/serialize";
import { readLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** Sealed blocks, newest first. `cursor` is the height to continue below; `limit` at most 200. */
export async function GET(request: Request): Promise<Response> {
  return answerProblems(async () => {
    const url = new URL(request.url);
    const before = intParam(url, "cursor", undefined, 1, 2_147_483_647);
    const limit = intParam(url, "limit", 20, 1, 200);
    const page = await readLedger((ledger) => listBlocks(ledger, { before, limit }));
    return json(
      { blocks: page.blocks.map(serializeBlock), nextCursor: page.nextBefore },
      { cacheControl: SHORT_LIVED },
    );
  });
}
