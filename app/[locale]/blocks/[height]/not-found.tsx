import { NotFoundNotice } from "@/components/layout/not-found-notice";

/** A block height that is not sealed (yet), or not a height at all. */
export default function BlockNotFound() {
  return <NotFoundNotice which="block" />;
}
