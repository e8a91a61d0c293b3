import { streamExport } from "@/lib/http/export-stream";
import { answerProblems } from "@/lib/http/problem";
import { intParam } from "@/lib/http/request";
import { derivedPendingError, firstBlockWithoutDerivedData } from "@/lib/ledger/derived";
import { readHead } from "@/lib/ledger/head";
import { ProtocolError } from "@/lib/protocol/errors";
import { readLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/**
 * The public ledger as JSON lines, for mirrors: blocks `from` (default 1) to `to` (default and at
 * most the head), each block's header line followed by its entries. Streamed with bounded memory.
 */
export async function GET(request: Request): Promise<Response> {
  return answerProblems(async () => {
    const url = new URL(request.url);
    // One node for the whole stream: its head bounds what it exports (a replica's head is never ahead of what it holds).
    const asked = Number(url.searchParams.get("to") ?? 0);
    const { ledger, head } = await readLedger(async (ledger) => ({ ledger, head: await readHead(ledger.db, ledger.genesisRoot) }), (r) => r.head.height >= asked);
    const from = intParam(url, "from", 1, 1, 2_147_483_647)!;
    // Blocks from the first one whose leaf positions are still being written are left out: never a partial block.
    const incomplete = await firstBlockWithoutDerivedData(ledger);
    const complete = incomplete === null ? head.height : incomplete - 1;
    const to = Math.min(intParam(url, "to", head.height, 1, 2_147_483_647)!, complete);
    if (incomplete !== null && from > to && from <= head.height) throw derivedPendingError(incomplete);
    if (url.searchParams.get("to") && from > Number(url.searchParams.get("to"))) {
      throw new ProtocolError("invalid_request", `from (${from}) must not be above to (${url.searchParams.get("to")}).`, { from, to: url.searchParams.get("to") });
    }
    return new Response(streamExport(ledger, { from, to }), {
      headers: {
        "content-type": "application/x-ndjson; charset=utf-8",
        "content-disposition": `attachment; filename="sealbook-${ledger.ledgerId}-${from}-${to}.jsonl"`,
        "cache-control": "no-store",
      },
    });
  });
}
