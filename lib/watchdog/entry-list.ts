/**
 * Reads the streamed entry list of a block (`GET /api/v1/blocks/{h}/entries?download=json`) into
 * packed bytes as it arrives, never holding the text whole: a block of a million entries is 68 MB
 * of JSON but 32 MB packed, ready for `buildBlockTreePacked`.
 *
 * The format is fixed by the API: a header, then the hashes, in leaf order:
 *   {"ledgerId":"…","height":1,"root":"0x…","prevRoot":"0x…","entryCount":3,"entries":["0x…","0x…","0x…"]}
 * Anything else is an AnswerError saying where the text went wrong.
 */
import { isHash, type Hash } from "../protocol/hex";
import { AnswerError } from "./retry";

/** The header of a streamed entry list. */
export interface EntryListHeader {
  ledgerId: string;
  height: number;
  root: Hash;
  prevRoot: Hash;
  entryCount: number;
}

/** A block's entry list: its header and the entry hashes packed back to back, 32 bytes each. */
export interface EntryList {
  header: EntryListHeader;
  packed: Uint8Array;
  count: number;
}

const ENTRIES_KEY = '"entries":[';
const MAX_HEADER_CHARS = 4_096;
const HASH_CHARS = 68; // "0x + 64 hex digits + "
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[48 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[97 + i] = 10 + i;
  HEX_VALUE[65 + i] = 10 + i;
}

/**
 * Parses a streamed entry list. `expectedCount` (the block header's entryCount) sizes the buffer;
 * reading stops with an AnswerError as soon as the list holds more than `maxCount` entries, so a
 * lying or runaway stream cannot fill memory. Throws AnswerError on any deviation from the format.
 */
export async function readEntryList(body: ReadableStream<Uint8Array>, expectedCount: number, maxCount: number = expectedCount): Promise<EntryList> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let packed: Uint8Array = new Uint8Array(Math.max(1, expectedCount) * 32);
  let count = 0;
  let header: EntryListHeader | null = null;
  let text = "";
  /** Where the scan is: the header, hashes (expecting an item or the end), after an item, the tail. */
  let phase: "header" | "item" | "afterItem" | "tail" = "header";
  let afterOpen = true;
  let done = false;

  const consume = (final: boolean) => {
    let i = 0;
    if (phase === "header") {
      const at = text.indexOf(ENTRIES_KEY);
      if (at < 0) {
        if (text.length > MAX_HEADER_CHARS || final) throw new AnswerError(`The entry list does not start with a header and "entries": ${JSON.stringify(text.slice(0, 120))}.`);
        return;
      }
      header = parseHeader(`${text.slice(0, at)}"entries":[]}`);
      i = at + ENTRIES_KEY.length;
      phase = "item";
    }
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        i++;
      } else if (done) {
        throw new AnswerError(`Unexpected text after the entry list: ${JSON.stringify(text.slice(i, i + 40))}.`);
      } else if (phase === "tail") {
        if (c !== 125 /* } */) throw new AnswerError(`Unexpected text after the entries: ${JSON.stringify(text.slice(i, i + 40))}.`);
        done = true;
        i++;
      } else if (phase === "afterItem") {
        if (c !== 44 /* , */ && c !== 93 /* ] */) throw new AnswerError(`Expected "," or "]" after entry ${count - 1}, found ${JSON.stringify(text.slice(i, i + 40))}.`);
        phase = c === 44 ? "item" : "tail";
        afterOpen = false;
        i++;
      } else if (c === 93 && afterOpen) {
        phase = "tail";
        i++;
      } else {
        if (c !== 34 /* " */) throw new AnswerError(`Expected entry ${count} as "0x…", found ${JSON.stringify(text.slice(i, i + 40))}.`);
        if (text.length - i < HASH_CHARS) break; // the rest arrives with the next chunk
        if (count >= maxCount) throw new AnswerError(`The entry list holds more than the ${maxCount} entries its block header declares.`);
        if (packed.length < (count + 1) * 32) packed = grow(packed);
        writeHash(text, i, packed, count * 32, count);
        count++;
        i += HASH_CHARS;
        phase = "afterItem";
      }
    }
    text = text.slice(i);
  };

  const reader = body.getReader();
  try {
    for (;;) {
      const { done: ended, value } = await reader.read();
      if (ended) break;
      text += decoder.decode(value, { stream: true });
      consume(false);
    }
    text += decoder.decode();
    consume(true);
  } catch (error) {
    await reader.cancel().catch(() => {});
    if (error instanceof TypeError && /decode|encoded/i.test(error.message)) throw new AnswerError("The entry list is not UTF-8 text.");
    throw error;
  }
  if (!done || !header) throw new AnswerError(`The entry list ended early, after ${count} entries: the stream was cut or the answer is not a complete list.`);
  return { header, packed: packed.subarray(0, count * 32), count };
}

function parseHeader(json: string): EntryListHeader {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(json) as Record<string, unknown>;
  } catch {
    throw new AnswerError(`The entry list's header is not JSON: ${JSON.stringify(json.slice(0, 160))}.`);
  }
  const { ledgerId, height, root, prevRoot, entryCount } = value;
  if (typeof ledgerId !== "string" || !Number.isInteger(height) || !isHash(root) || !isHash(prevRoot) || !Number.isInteger(entryCount)) {
    throw new AnswerError(`The entry list's header lacks ledgerId, height, root, prevRoot or entryCount: ${JSON.stringify(json.slice(0, 200))}.`);
  }
  return { ledgerId, height: height as number, root, prevRoot, entryCount: entryCount as number };
}

function writeHash(text: string, at: number, out: Uint8Array, offset: number, index: number): void {
  if (text.charCodeAt(at + 1) !== 48 || text.charCodeAt(at + 2) !== 120 || text.charCodeAt(at + HASH_CHARS - 1) !== 34) {
    throw new AnswerError(`Entry ${index} is not "0x" and 64 hex digits: ${JSON.stringify(text.slice(at, at + HASH_CHARS))}.`);
  }
  for (let b = 0; b < 32; b++) {
    const hi = HEX_VALUE[text.charCodeAt(at + 3 + 2 * b)] ?? -1;
    const lo = HEX_VALUE[text.charCodeAt(at + 4 + 2 * b)] ?? -1;
    if (hi < 0 || lo < 0) throw new AnswerError(`Entry ${index} is not "0x" and 64 hex digits: ${JSON.stringify(text.slice(at, at + HASH_CHARS))}.`);
    out[offset + b] = (hi << 4) | lo;
  }
}

function grow(packed: Uint8Array): Uint8Array {
  const bigger = new Uint8Array(packed.length * 2);
  bigger.set(packed);
  return bigger;
}
