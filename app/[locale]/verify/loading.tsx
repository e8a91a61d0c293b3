import { LoadingNotice } from "@/components/ui/loading-notice";

export default function Loading() {
  return <LoadingNotice what="verify" />;
}
