"use client";

import { ErrorNotice } from "@/components/ui/error-notice";

/** Shown when a page could not be rendered, typically because the ledger database did not answer. */
export default function ErrorPage(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorNotice which="page" {...props} />;
}
