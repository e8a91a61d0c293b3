"use client";

import { useTranslations } from "next-intl";
import { Link, usePathname } from "@/lib/portal/i18n/navigation";

const LINKS = [
  { href: "/blocks", key: "blocks" },
  { href: "/verify", key: "verify" },
  { href: "/signers", key: "signers" },
  { href: "/about", key: "about" },
  { href: "/api", key: "api" },
] as const;

/** The main navigation, in the page's language; the link of the current section carries aria-current. */
export function NavLinks() {
  const t = useTranslations("common.nav");
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
              {t(link.key)}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
