import type { Metadata, Viewport } from "next";
import { setRequestLocale } from "next-intl/server";
import type { ReactNode } from "react";
import { PageShell } from "@/components/layout/page-shell";

export const viewport: Viewport = { themeColor: "#0f172a", width: "device-width", initialScale: 1 };

export const metadata: Metadata = { title: { default: "Sealbook transparency portal", template: "%s · Sealbook" } };

/** The admin console stays in English, at unprefixed URLs, inside the portal's header and footer. */
export default function AdminLayout({ children }: { children: ReactNode }) {
  setRequestLocale("en");
  return <PageShell locale="en" languageSwitch={false}>{children}</PageShell>;
}
