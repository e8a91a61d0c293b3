import type { LedgerContext } from "../ledger/context";
import { listBlockEntries, type BlockSummary } from "../ledger/reads";
import { IMMUTABLE } from "./request";

const PAGE = 10_000;

/**
 * Streams every entry of a sealed block as a JSON or CSV file, a page at a time, so that a block of
 * a million entries never sits in memory whole.
 */
export function streamBlockEntries(ledger: LedgerContext, block: BlockSummary, format: "json" | "csv"): Response {
  const encoder = new TextEncoder();
  let from: number | null = 0;
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const head =
        format === "json"
          ? `{"ledgerId":${JSON.stringify(ledger.ledgerId)},"height":${block.height},"root":"${block.root}","prevRoot":"${block.prevRoot}","entryCount":${block.entryCount},"entries":[`
          : "leaf_index,entry_hash\n";
      controller.enqueue(encoder.encode(head));
    },
    async pull(controller) {
      if (from === null) {
        if (format === "json") controller.enqueue(encoder.encode("]}\n"));
        controller.close();
        return;
      }
      const page = await listBlockEntries(ledger, block.height, { from, limit: PAGE });
      const text = page.entries
        .map((e) => {
          if (format === "csv") return `${e.leafIndex},${e.entryHash}\n`;
          const item = `${first ? "" : ","}"${e.entryHash}"`;
          first = false;
          return item;
        })
        .join("");
      controller.enqueue(encoder.encode(text));
      from = page.next;
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": format === "json" ? "application/json" : "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="sealbook-${ledger.ledgerId}-block-${block.height}.${format}"`,
      "cache-control": IMMUTABLE,
    },
  });
}
