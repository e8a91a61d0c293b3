import { getBlock } from "@/lib/ledger/reads";
import { ProtocolError } from "@/lib/protocol/errors";
import { answerProblems } from "@/lib/http/problem";
import { IMMUTABLE, json } from "@/lib/http/request";
import { parseHeight } from "@/lib/http/params";
import { serializeBlock } from "@/lib/http/serialize";
import { readLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** One sealed block's header and anchor. Immutable once anchored; until then it may gain its anchor. */
export async function GET(_request: Request, context: { params: Promise<{ height: string }> }): Promise<Response> {
  return answerProblems(async () => {
    const height = parseHeight((await context.params).height);
    const block = await readLedger((ledger) => getBlock(ledger, height), (b) => b !== null);
    if (!block) throw new ProtocolError("not_found", `There is no sealed block at height ${height} yet.`, { height });
    return json(serializeBlock(block), { cacheControl: block.anchor ? IMMUTABLE : "public, max-age=10" });
  });
}
