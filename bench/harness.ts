/**
 * The shape every benchmark returns, and small helpers for measuring honestly on a noisy machine:
 * repeat, take the median, and report ratios against a reference measured in the same run.
 */
export interface BenchRow {
  [column: string]: string | number | boolean | null;
}

export interface BenchResult {
  /** One line saying what was measured. */
  title: string;
  rows: BenchRow[];
  /** Sentences printed under the table: targets, what bounds a figure, caveats. */
  notes?: string[];
}

/** A benchmark module exports `run(args)`; `args` are the command-line words after its name. */
export type BenchModule = { run: (args: string[]) => Promise<BenchResult> };

/** Median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("median() of an empty list");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` `times` times and returns each duration in milliseconds. */
export async function timeRuns(times: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    await fn();
    durations.push(performance.now() - start);
  }
  return durations;
}

/** Rounds for display: 3 significant digits. */
export function round3(value: number): number {
  return Number(value.toPrecision(3));
}
