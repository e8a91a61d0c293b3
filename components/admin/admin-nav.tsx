"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/anchors", label: "Anchors" },
  { href: "/admin/signers", label: "Signers" },
  { href: "/admin/certification-centers", label: "Certification centres" },
  { href: "/admin/audit", label: "Audit" },
  { href: "/admin/evidence", label: "Evidence" },
  { href: "/admin/log", label: "Admin log" },
  { href: "/admin/account", label: "Your account" },
] as const;

/** The console's navigation; the current section's link carries aria-current. */
export function AdminNav() {
  const pathname = usePathname() ?? "/admin";
  return (
    <nav aria-label="Admin console">
      <ul className="flex flex-wrap gap-1 text-sm">
        {LINKS.map((link) => {
          const current = link.href === "/admin" ? pathname === "/admin" : pathname === link.href || pathname.startsWith(`${link.href}/`);
          return (
            <li key={link.href}>
              <Link
                href={link.href}
                aria-current={current ? "page" : undefined}
                className={`inline-block rounded px-3 py-1.5 font-medium ${current ? "bg-slate-900 text-white" : "text-slate-800 hover:bg-slate-200"}`}
              >
                {link.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
