import { listBlocks } from "@/lib/ledger/reads";
import { answerProblems } from "@/lib/http/problem";
import { intParam, json, SHORT_LIVED } from "@/lib/http/request";
import { serializeBlock } from "@/lib/http/serialize";
import { readNewest } from "@/lib/ledger/runtime";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** Sealed blocks, newest first. `cursor` is the height to continue below; `limit` at most 200. */
export async function GET(request: Request): Promise<Response> {
  return answerProblems(async () => {
    const url = new URL(request.url);
    const before = intParam(url, "cursor", undefined, 1, 2_147_483_647);
    const limit = intParam(url, "limit", 20, 1, 200);
    // The first page must reach the primary's head, and a later one the block below its cursor: a
    // watchdog compares the list with the head of GET /api/v1/ledger and would report blocks hidden.
    const page = await readNewest(await getRuntime(), (ledger) => listBlocks(ledger, { before, limit }), (p, primaryHeight) =>
      (p.blocks[0]?.height ?? 0) >= Math.min(primaryHeight, (before ?? Infinity) - 1),
    );
    return json(
      { blocks: page.blocks.map(serializeBlock), nextCursor: page.nextBefore },
      { cacheControl: SHORT_LIVED },
    );
  });
}
