/**
 * PostgreSQL's `text` cannot hold U+0000: a string carrying one makes the statement fail, and with
 * it every other record or request that shared the statement. These two helpers keep such strings
 * away from the database: refuse them where a person typed them, drop the character where it came
 * from a certificate that cannot be changed.
 */

/** Whether `value`, or any string inside it (object keys included), contains U+0000. Walks without recursion. */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === "string") {
      if (node.includes("\u0000")) return true;
    } else if (typeof node === "object" && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        if (key.includes("\u0000")) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

/** `text` without U+0000, for names read from certificates before they are stored. */
export function withoutNul(text: string): string {
  return text.includes("\u0000") ? text.replaceAll("\u0000", "") : text;
}

/** A URL path segment with its percent-escapes decoded, or null when an escape is malformed (`%E0%A4%A`). */
export function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
