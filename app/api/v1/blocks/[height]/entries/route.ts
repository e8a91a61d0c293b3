import { listBlockEntries } from "@/lib/ledger/reads";
import { readBlockWithLeaves } from "@/lib/ledger/replica-reads";
import { ProtocolError } from "@/lib/protocol/errors";
import { answerProblems } from "@/lib/http/problem";
import { IMMUTABLE, intParam, json } from "@/lib/http/request";
import { parseHeight } from "@/lib/http/params";
import { streamBlockEntries } from "@/lib/http/entry-stream";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/**
 * A sealed block's entry hashes in leaf order. Paginated with `from` (leaf index) and `limit`
 * (≤ 10,000); `download=json` or `download=csv` streams the whole list as a file.
 */
export async function GET(request: Request, context: { params: Promise<{ height: string }> }): Promise<Response> {
  return answerProblems(async () => {
    const height = parseHeight((await context.params).height);
    // The listing reads the same node that has the block and its leaf positions (a replica that has not replayed them yet defers to the primary).
    const { ledger, block } = await readBlockWithLeaves(await getRuntime(), height);
    if (!block) throw new ProtocolError("not_found", `There is no sealed block at height ${height} yet.`, { height });
    const url = new URL(request.url);
    const download = url.searchParams.get("download");
    if (download === "json" || download === "csv") {
      await listBlockEntries(ledger, height, { limit: 1 }); // 503 while the block's leaf positions are being written
      return streamBlockEntries(ledger, block, download);
    }
    if (download !== null) throw new ProtocolError("invalid_request", `download must be json or csv; got ${JSON.stringify(download)}.`);
    const from = intParam(url, "from", 0, 0, 2_147_483_647);
    const limit = intParam(url, "limit", 100, 1, 10_000);
    const page = await listBlockEntries(ledger, height, { from, limit });
    return json({ height, entryCount: block.entryCount, entries: page.entries, next: page.next }, { cacheControl: IMMUTABLE });
  });
}
