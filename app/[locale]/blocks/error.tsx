"use client";

import { ErrorNotice } from "@/components/ui/error-notice";

export default function BlocksError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorNotice which="blocks" {...props} />;
}
