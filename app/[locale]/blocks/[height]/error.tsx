"use client";

import { ErrorNotice } from "@/components/ui/error-notice";

export default function BlockError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorNotice which="block" {...props} />;
}
