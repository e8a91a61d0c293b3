/**
 * The streamed entry-list reader of the watchdog: the API's download format, cut into chunks at
 * every awkward place, read into packed bytes; and the ways a stream can be wrong.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { buildBlockTree } from "../../lib/protocol/merkle";
import { buildBlockTreePacked } from "../../lib/protocol/fast-tree";
import { bytesToHex, ZERO_HASH as ZERO } from "../../lib/protocol/hex";
import { readEntryList } from "../../lib/watchdog/entry-list";
import { AnswerError } from "../../lib/watchdog/retry";

const hashes = (n: number) => Array.from({ length: n }, () => bytesToHex(randomBytes(32)));

/** The download=json format of GET /api/v1/blocks/{h}/entries (lib/http/entry-stream.ts). */
const listText = (entries: string[], entryCount = entries.length) =>
  `{"ledgerId":"test","height":7,"root":"${ZERO}","prevRoot":"${ZERO}","entryCount":${entryCount},"entries":[${entries.map((e) => `"${e}"`).join(",")}]}\n`;

function streamOf(text: string, chunk: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

describe("reading a streamed entry list", () => {
  it("reads the same packed hashes whatever the chunk boundaries", async () => {
    const entries = hashes(23);
    const expected = Buffer.concat(entries.map((e) => Buffer.from(e.slice(2), "hex")));
    for (const chunk of [1, 2, 7, 31, 67, 68, 69, 200, 100_000]) {
      const list = await readEntryList(streamOf(listText(entries), chunk), entries.length);
      assert.equal(list.count, 23, `chunks of ${chunk}`);
      assert.deepEqual(Buffer.from(list.packed), expected, `chunks of ${chunk}`);
      assert.deepEqual(list.header, { ledgerId: "test", height: 7, root: ZERO, prevRoot: ZERO, entryCount: 23 });
    }
  });

  it("feeds the packed builder: 20,000 entries give the reference root", async () => {
    const entries = hashes(20_000);
    const list = await readEntryList(streamOf(listText(entries), 65_536), entries.length);
    assert.equal(buildBlockTreePacked(list.packed).root, buildBlockTree(entries.map((e) => Buffer.from(e.slice(2), "hex"))).root);
  });

  it("refuses a cut stream, more entries than declared, a bad hash, stray text, and a header that is not the API's", async () => {
    const entries = hashes(5);
    const full = listText(entries);
    const cases: Array<[string, string, RegExp]> = [
      ["a stream cut in the middle", full.slice(0, full.length - 100), /ended early, after 3 entries/],
      ["a stream cut before the closing brace", full.slice(0, full.length - 3), /ended early/],
      ["one entry more than declared", listText([...entries, ...hashes(1)], 5), /more than the 5 entries/],
      // Two digits inside entry 2 itself (replacing the first match of two random digits could hit another entry).
      ["a hash with a non-hex digit", full.replace(entries[2], `${entries[2].slice(0, 10)}zz${entries[2].slice(12)}`), /Entry 2 is not "0x" and 64 hex digits/],
      ["a hash one digit short", full.replace(entries[1], entries[1].slice(0, -1)), /Entry 1 is not|Expected "," or "]"/],
      ["text after the list", `${full}{"more":1}`, /Unexpected text after the entry list/],
      ["two commas", full.replace(`${entries[0]}","`, `${entries[0]}",,"`), /Expected entry 1 as "0x…"/],
      ["an HTML error page", "<html><body>502 Bad Gateway</body></html>", /does not start with a header/],
      ["a header without a root", full.replace(`"root":"${ZERO}",`, ""), /lacks ledgerId, height, root/],
    ];
    for (const [what, text, message] of cases) {
      await assert.rejects(readEntryList(streamOf(text, 16), 5, 5), (error: unknown) => error instanceof AnswerError && message.test(error.message), what);
    }
  });
});
