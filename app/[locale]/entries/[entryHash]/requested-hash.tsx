"use client";

import { usePathname } from "next/navigation";

/** The entry hash the reader asked for, read from the address (not-found pages get no params). */
export function RequestedHash() {
  const segments = usePathname()?.split("/") ?? [];
  // The segment after /entries/: a certificate's address ends in /certificate.
  const segment = segments[segments.indexOf("entries") + 1] ?? "";
  return segment ? <code className="hash">{decodeURIComponent(segment)}</code> : null;
}
