"use client";

import { ErrorNotice } from "@/components/ui/error-notice";

export default function EntryError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorNotice title="This entry could not be looked up" {...props} />;
}
