/** "3", "3–7", or "3–7 (4 of them)" for a list of heights, for log lines. */
export function span(heights: number[]): string {
  if (heights.length === 0) return "none";
  const lo = Math.min(...heights);
  const hi = Math.max(...heights);
  if (lo === hi) return String(lo);
  return hi - lo + 1 === heights.length ? `${lo}–${hi}` : `${lo}–${hi} (${heights.length} of them)`;
}
