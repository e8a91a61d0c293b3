/**
 * The first member name that an object in `text` repeats, or null when none does.
 *
 * JSON (RFC 8259) leaves repeated names undefined: JavaScript keeps the last value, other parsers
 * the first or an error. A signed record whose payload says `"kind"` twice could mean one thing to
 * the ledger and another to a verifier in another language, so records use I-JSON (RFC 7493) and a
 * repeated name is refused. `text` must already be valid JSON (JSON.parse accepted it). Names are
 * compared after unescaping, so `"k\u0069nd"` repeats `"kind"`.
 */
export function repeatedMemberName(text: string): string | null {
  // One entry per open object (its names so far) or array (null).
  const open: Array<Set<string> | null> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let end = i + 1;
      let escaped = false;
      for (;;) {
        const d = text.charCodeAt(end);
        if (d === QUOTE) break;
        if (d === BACKSLASH) {
          escaped = true;
          end++;
        }
        end++;
      }
      let next = end + 1;
      while (isWhitespace(text.charCodeAt(next))) next++;
      if (text.charCodeAt(next) === COLON) {
        const name = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
        const names = open[open.length - 1];
        if (names?.has(name)) return name;
        names?.add(name);
      }
      i = end;
    } else if (c === OPEN_BRACE) open.push(new Set());
    else if (c === OPEN_BRACKET) open.push(null);
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) open.pop();
  }
  return null;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}
