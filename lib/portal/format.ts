/**
 * How the portal writes instants, durations and hashes for people. Everything is rendered on the
 * server in UTC, so that a page says the same thing to every reader and can be cached.
 */

const DATE_TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

/** An instant as "22 Nov 2026, 10:00:00 UTC". */
export function formatInstant(at: Date | string): string {
  return `${DATE_TIME.format(typeof at === "string" ? new Date(at) : at)} UTC`;
}

/** A duration in words a reader can picture: "45 seconds", "3 minutes", "2 hours 5 minutes", "4 days". */
export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  if (seconds < 60) return unit(seconds, "second");
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return unit(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? unit(hours, "hour") : `${unit(hours, "hour")} ${unit(minutes % 60, "minute")}`;
  return unit(Math.floor(hours / 24), "day");
}

/** A hash shortened for tight places, "0x1234…cdef"; the full value must be shown or copyable nearby. */
export function shortHash(hash: string, keep = 6): string {
  return hash.length <= 2 + keep * 2 ? hash : `${hash.slice(0, 2 + keep)}…${hash.slice(-keep)}`;
}

/** A count with thousands separators: 12,345. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-GB");
}
