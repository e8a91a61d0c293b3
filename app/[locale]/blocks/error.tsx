"use client";

import { ErrorNotice } from "@/components/ui/error-notice";

export default function BlocksError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorNotice title="The list of blocks could not be read" {...props} />;
}
