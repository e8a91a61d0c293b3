/**
 * The addresses of one entry on the portal: its public page, its printable certificate and its QR
 * image, and the reverse, the entry hash inside an address a camera read from paper. Free of
 * runtime imports beyond the protocol's, so the verifier's scan button can use it in the browser.
 *
 * The page's address carries no language prefix (/uk/, /en/): whoever scans a printed code is
 * shown the page in their own language.
 *
 * Its one import is the hash pattern (lib/protocol/hex.ts, which imports nothing), so the verifier's
 * page can load this before any protocol code.
 */
import { HASH_ANY_CASE_PATTERN, type Hash } from "../protocol/hex";

/** The path of an entry's public page. */
export function entryPagePath(entryHash: Hash): string {
  return `/entries/${entryHash}`;
}

/** The absolute address of an entry's public page on the portal at `origin` (e.g. https://ledger.example.org); what its QR code holds. */
export function entryPageUrl(origin: string, entryHash: Hash): string {
  return `${origin.replace(/\/+$/, "")}${entryPagePath(entryHash)}`;
}

/** The path of an entry's printable verification certificate. */
export function entryCertificatePath(entryHash: Hash): string {
  return `${entryPagePath(entryHash)}/certificate`;
}

/** The path of the QR code image (SVG) of an entry's public page. */
export function entryQrPath(entryHash: Hash): string {
  return `${entryPagePath(entryHash)}/qr.svg`;
}

/** /entries/0x…, after an optional language prefix, with an optional /certificate or /qr.svg after it. */
const ENTRY_PATH = /^(?:\/[a-z]{2}(?:-[A-Za-z]{2})?)?\/entries\/(0x[0-9a-fA-F]{64})(?:\/(?:certificate|qr\.svg))?\/?$/;

/**
 * The entry hash a scanned QR code names: an entry's address on a Sealbook portal (any origin, with
 * or without a language prefix), or a bare entry hash. Null when the text is neither, for example a
 * signed record or some other site's address.
 */
export function entryHashFromScan(text: string): Hash | null {
  const value = text.trim();
  if (HASH_ANY_CASE_PATTERN.test(value)) return value.toLowerCase() as Hash;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const hash = ENTRY_PATH.exec(url.pathname)?.[1];
  return hash ? (hash.toLowerCase() as Hash) : null;
}
