/**
 * Checks, in one pass without recursion and before JSON.parse sees it, that a batch body is the
 * flat envelope `{"jws": [item, …]}` whose items are strings or other JSON scalars (a non-string
 * item is then rejected on its own, as `invalid_jws`). Arrays or objects inside are refused, so a
 * body nested a million levels deep costs one scan instead of a parser's stack and heap: a 32 MB
 * `{"jws":[[[…]]]}` stalled the server for 3.8 s before.
 */

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** Characters a JSON number, true, false or null is made of. */
const SCALAR = /[-+.0-9a-zA-Z]/;

/** Whether `text` is exactly `{"jws": [scalars]}` (white space allowed between tokens). */
export function isFlatBatchEnvelope(text: string): boolean {
  let at = 0;
  const skipWhitespace = () => {
    while (at < text.length && WHITESPACE.has(text.charCodeAt(at))) at++;
  };
  const expect = (char: string): boolean => {
    skipWhitespace();
    if (text[at] !== char) return false;
    at++;
    return true;
  };
  /** Skips a JSON string starting at `at` (a quote); returns its raw text, or null if it never ends. */
  const string = (): string | null => {
    const start = at;
    at++;
    while (at < text.length) {
      const c = text[at];
      if (c === "\\") at += 2;
      else if (c === '"') {
        at++;
        return text.slice(start, at);
      } else at++;
    }
    return null;
  };

  if (!expect("{")) return false;
  skipWhitespace();
  if (text[at] !== '"') return false;
  const key = string();
  // The only member is "jws" (an escaped spelling of it is refused too: JSON.parse would agree, but nobody sends one).
  if (key !== '"jws"') return false;
  if (!expect(":") || !expect("[")) return false;
  skipWhitespace();
  if (text[at] === "]") at++;
  else {
    for (;;) {
      skipWhitespace();
      if (text[at] === '"') {
        if (string() === null) return false;
      } else {
        const start = at;
        while (at < text.length && SCALAR.test(text[at])) at++;
        if (at === start) return false;
      }
      skipWhitespace();
      if (text[at] === ",") {
        at++;
        continue;
      }
      if (text[at] === "]") {
        at++;
        break;
      }
      return false;
    }
  }
  if (!expect("}")) return false;
  skipWhitespace();
  return at === text.length;
}
