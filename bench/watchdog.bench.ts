/**
 * `npm run bench watchdog`: what the monitor spends on one large block: the entry list streamed
 * in the API's download format (generated on the fly, never held whole, 64 KiB chunks) read into
 * packed bytes, then the root recomputed with the packed builder; time and the process's peak
 * memory above its baseline. `--quick` uses 100,000 entries instead of 1,000,000.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { loadavg } from "node:os";
import { buildBlockTreePacked } from "../lib/protocol/fast-tree";
import { bytesToHex, ZERO_HASH } from "../lib/protocol/hex";
import { readEntryList } from "../lib/watchdog/entry-list";
import type { BenchResult } from "./harness";
import { round3 } from "./harness";


/** The download=json answer of a block of `count` pseudo-random entries, produced chunk by chunk. */
function generatedList(count: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  const prefix = bytesToHex(keccak_256(new TextEncoder().encode("bench"))).slice(2, 42);
  return new ReadableStream({
    start(controller) {
      controller.enqueue(encoder.encode(`{"ledgerId":"bench","height":1,"root":"${ZERO_HASH}","prevRoot":"${ZERO_HASH}","entryCount":${count},"entries":[`));
    },
    pull(controller) {
      if (i >= count) {
        controller.enqueue(encoder.encode("]}\n"));
        return controller.close();
      }
      let text = "";
      // Distinct entry hashes, cheap to write (the leaves, keccak of keccak, are in random order anyway).
      for (let n = 0; n < 960 && i < count; n++, i++) text += `${i === 0 ? "" : ","}"0x${prefix}${i.toString(16).padStart(24, "0")}"`;
      controller.enqueue(encoder.encode(text));
    },
  });
}

export async function run(args: string[]): Promise<BenchResult> {
  const count = args.includes("--quick") ? 100_000 : 1_000_000;
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const list = await readEntryList(generatedList(count), count);
  const read = performance.now();
  const tree = buildBlockTreePacked(list.packed);
  const built = performance.now();
  peak = Math.max(peak, process.memoryUsage().rss);
  clearInterval(sampler);
  const mb = (bytes: number) => round3(bytes / 2 ** 20);
  return {
    title: `one block of ${count.toLocaleString("en-GB")} entries through the monitor's reader and the packed builder (load average ${loadavg()[0].toFixed(2)})`,
    rows: [
      { step: "stream read into packed bytes (and the text generated)", ms: Math.round(read - started) },
      { step: "root recomputed (buildBlockTreePacked)", ms: Math.round(built - read) },
      { step: "peak memory above baseline, MB", ms: null, MB: mb(peak - baseline) },
      { step: "packed entry hashes, MB", ms: null, MB: mb(list.packed.length) },
      { step: "the same list as JSON text, MB (never held whole)", ms: null, MB: mb(count * 67 + 200) },
    ],
    notes: [`root ${tree.root}`, "Memory is bounded by the packed list and the tree, not by the text: the reader keeps at most one chunk of it."],
  };
}
