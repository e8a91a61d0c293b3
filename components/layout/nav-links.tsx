"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/blocks", label: "Blocks" },
  { href: "/verify", label: "Verify a record" },
  { href: "/signers", label: "Signers" },
  { href: "/about", label: "How it works" },
  { href: "/api", label: "API" },
] as const;

/** The main navigation; the link of the current section carries aria-current. */
export function NavLinks() {
  const pathname = usePathname() ?? "/";
  return (
    <ul className="flex flex-wrap gap-x-1 gap-y-1 text-sm sm:text-base">
      {LINKS.map((link) => {
        const current = pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <li key={link.href}>
            <Link
              href={link.href}
              aria-current={current ? "page" : undefined}
              className={`inline-block rounded px-2 py-1.5 font-medium ${current ? "bg-white/15 text-white underline decoration-2" : "text-slate-100 hover:bg-white/10 hover:text-white"}`}
            >
              {link.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
