import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { SiteFooter } from "@/components/layout/site-footer";
import { SiteHeader } from "@/components/layout/site-header";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Sealbook transparency portal", template: "%s · Sealbook" },
  description: "A tamper-evident ledger of public health records: browse sealed blocks and verify a record in your own browser.",
  alternates: { types: { "application/atom+xml": [{ url: "/feed.xml", title: "Sealbook: sealed and anchored blocks" }] } },
};

export const viewport: Viewport = { themeColor: "#0f172a", width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col bg-slate-50 font-sans text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only z-50 rounded bg-white px-4 py-2 font-semibold text-blue-900 focus:not-sr-only focus:absolute focus:left-4 focus:top-4"
        >
          Skip to main content
        </a>
        <SiteHeader />
        {/* At least a screen tall, so the footer starts below the fold: when a page streams in after
            its loading notice, nothing the reader can see moves (Lighthouse measured a layout
            shift of 0.3 to 0.9 on the block page when the footer was pushed down). */}
        <main id="main" tabIndex={-1} className="mx-auto min-h-svh w-full max-w-6xl flex-1 px-4 py-8 outline-none sm:px-6">
          {children}
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
