import { NotFoundNotice } from "@/components/layout/not-found-notice";

/** A page of entries past the block's last entry, or of a block not sealed (yet). */
export default function EntriesPageNotFound() {
  return <NotFoundNotice which="entriesPage" />;
}
