"use client";

import { usePathname } from "next/navigation";

/** The entry hash the reader asked for, read from the address (not-found pages get no params). */
export function RequestedHash() {
  const segment = usePathname()?.split("/").at(-1) ?? "";
  return segment ? <code className="hash">{decodeURIComponent(segment)}</code> : null;
}
