import { getBlock } from "@/lib/ledger/reads";
import { ProtocolError } from "@/lib/protocol/errors";
import { answerProblems } from "@/lib/http/problem";
import { anchoredCacheControl } from "@/lib/http/anchored-cache";
import { json } from "@/lib/http/request";
import { parseHeight } from "@/lib/http/params";
import { serializeBlock } from "@/lib/http/serialize";
import { readThrough } from "@/lib/ledger/runtime";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** One sealed block's header and anchor. Immutable once its anchor is final; until then it may gain or lose its anchor. */
export async function GET(_request: Request, context: { params: Promise<{ height: string }> }): Promise<Response> {
  return answerProblems(async () => {
    const height = parseHeight((await context.params).height);
    const runtime = await getRuntime();
    const { config } = runtime;
    const block = await readThrough(runtime, (ledger) => getBlock(ledger, height), (b) => b !== null);
    if (!block) throw new ProtocolError("not_found", `There is no sealed block at height ${height} yet.`, { height });
    return json(serializeBlock(block), { cacheControl: anchoredCacheControl(block.anchor, config) });
  });
}
