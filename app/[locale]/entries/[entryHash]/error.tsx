"use client";

import { ErrorNotice } from "@/components/ui/error-notice";

export default function EntryError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorNotice which="entry" {...props} />;
}
