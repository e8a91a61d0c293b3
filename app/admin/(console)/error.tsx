"use client";

import { ErrorNotice } from "@/components/ui/error-notice";

/** Shown when a console page could not be rendered, typically because the database did not answer. */
export default function AdminErrorPage(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorNotice which="console" {...props} />;
}
