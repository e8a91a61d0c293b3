/**
 * A token bucket per key (a client address): `perSecond` requests a second on average, bursts of
 * `burst`. In memory, per process: behind a load balancer each instance counts its own share.
 * The map is pruned of full buckets when it reaches `maxKeys`, so a flood of addresses costs
 * bounded memory.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number = Math.max(1, perSecond * 2),
    private readonly maxKeys = 100_000,
  ) {}

  /** Takes one request for `key`: 0 when it may go ahead, otherwise the seconds to wait (at least 1). */
  take(key: string, now = Date.now()): number {
    if (this.perSecond <= 0) return 0;
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
      bucket.at = now;
    } else {
      if (this.buckets.size >= this.maxKeys) this.prune(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perSecond));
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
    }
    if (this.buckets.size >= this.maxKeys) this.buckets.clear();
  }
}
