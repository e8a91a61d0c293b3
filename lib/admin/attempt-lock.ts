/**
 * Serializes password attempts that share a key (an account, an address), so that the throttle's
 * count, the argon2 check and the logged failure happen as one step: a burst of parallel guesses
 * is then heard one after the other, and those past the limit are refused before hashing.
 * Measured before this lock: 150 parallel guesses were all evaluated, the limit being 5.
 *
 * The lock is per process. Behind a load balancer each instance holds its own, so a burst spread
 * over N instances may be heard up to N − 1 times past the limit before the shared count (the
 * admin log) stops it.
 */
type Chains = Map<string, Promise<void>>;

const CHAINS_KEY = Symbol.for("sealbook.attempt-locks");

function chains(): Chains {
  // One map per process, even when Next.js bundles this module apart from the server's copy.
  const g = globalThis as typeof globalThis & { [CHAINS_KEY]?: Chains };
  return (g[CHAINS_KEY] ??= new Map());
}

async function acquire(key: string): Promise<() => void> {
  const map = chains();
  const previous = map.get(key) ?? Promise.resolve();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const tail = previous.then(() => held);
  map.set(key, tail);
  await previous;
  return () => {
    release();
    if (map.get(key) === tail) map.delete(key);
  };
}

/** Runs `attempt` holding the lock of every key (taken in sorted order, so that two callers never wait on each other). */
export async function withAttemptLock<T>(keys: ReadonlyArray<string>, attempt: () => Promise<T>): Promise<T> {
  const releases: Array<() => void> = [];
  try {
    for (const key of [...new Set(keys)].sort()) releases.push(await acquire(key));
    return await attempt();
  } finally {
    for (const release of releases.reverse()) release();
  }
}
