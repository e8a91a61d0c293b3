import { formatInstant } from "@/lib/portal/format";

/** An instant as a `<time>` element, written in UTC. */
export function DateTime({ at }: { at: Date | string }) {
  const date = typeof at === "string" ? new Date(at) : at;
  return <time dateTime={date.toISOString()}>{formatInstant(date)}</time>;
}
