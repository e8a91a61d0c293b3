import { LoadingNotice } from "@/components/ui/loading-notice";

export default function Loading() {
  return <LoadingNotice>Checking the ledger against the blockchain…</LoadingNotice>;
}
