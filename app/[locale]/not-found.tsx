import { NotFoundNotice } from "@/components/layout/not-found-notice";

/** Shown for an address that names nothing in this ledger, in the language of its URL. */
export default function NotFound() {
  return <NotFoundNotice which="page" />;
}
