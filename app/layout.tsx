import type { ReactNode } from "react";
import "./globals.css";

/**
 * The root passes through: the public portal's layout (app/[locale]/layout.tsx) and the admin
 * console's (app/admin/layout.tsx) each write the document, in their own language.
 */
export default function RootLayout({ children }: { children: ReactNode }) {
  return children;
}
