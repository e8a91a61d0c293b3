import type { LedgerContext } from "../ledger/context";
import { listBlocksAscending } from "../ledger/reads";
import { listBlockEntries, type BlockSummary } from "../ledger/reads";
import { serializeBlock } from "./serialize";

const BLOCK_PAGE = 100;
const ENTRY_PAGE = 10_000;

/**
 * Streams blocks `from`..`to` as JSON lines, for mirrors: first one `ledger` line, then for each
 * block one `block` line (its header and anchor) followed by one `entry` line per entry in leaf
 * order. Pulled a page at a time (100 headers, 10,000 entries), so memory stays bounded whatever
 * the range, and a slow reader slows the reads down instead of filling memory.
 *
 *   {"type":"ledger","ledgerId":"demo","genesisRoot":"0x…","from":1,"to":42}
 *   {"type":"block","height":1,"root":"0x…","prevRoot":"0x…","entryCount":3,"sealedAt":"…","anchor":{…}|null}
 *   {"type":"entry","height":1,"leafIndex":0,"entryHash":"0x…"}
 */
export function streamExport(ledger: LedgerContext, range: { from: number; to: number }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let nextHeight = range.from;
  let blocks: BlockSummary[] = [];
  let current: { height: number; from: number | null } | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const head = { type: "ledger", ledgerId: ledger.ledgerId, genesisRoot: ledger.genesisRoot, from: range.from, to: range.to };
      controller.enqueue(encoder.encode(`${JSON.stringify(head)}\n`));
    },
    async pull(controller) {
      if (current && current.from !== null) {
        const page = await listBlockEntries(ledger, current.height, { from: current.from, limit: ENTRY_PAGE });
        const height = current.height;
        controller.enqueue(
          encoder.encode(page.entries.map((e) => `{"type":"entry","height":${height},"leafIndex":${e.leafIndex},"entryHash":"${e.entryHash}"}\n`).join("")),
        );
        current.from = page.next;
        return;
      }
      if (blocks.length === 0) {
        if (nextHeight > range.to) return controller.close();
        blocks = await listBlocksAscending(ledger, nextHeight, range.to, BLOCK_PAGE);
        if (blocks.length === 0) return controller.close();
      }
      const block = blocks.shift()!;
      nextHeight = block.height + 1;
      current = { height: block.height, from: 0 };
      controller.enqueue(encoder.encode(`${JSON.stringify({ type: "block", ...serializeBlock(block) })}\n`));
    },
  });
}
