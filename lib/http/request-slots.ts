import { ProtocolError } from "../protocol/errors";

/** How many requests may wait for each slot before further ones are refused. */
const WAITING_PER_SLOT = 8;

/**
 * At most `max` of a kind of request at once (large batch bodies: each holds its body, its parsed
 * records and their checks in memory); the next ones wait their turn, in order, and past
 * `max × 8` waiting they are refused with 429 `rate_limited` and `Retry-After`. Waiting requests
 * have not been read yet, so they hold no body in memory (TCP pushes back on the sender).
 */
export class RequestSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly name: string, private max: number) {}

  /** Changes the number of slots (the setting may be read after the first request). */
  resize(max: number): void {
    this.max = max;
  }

  /** Runs `work` in a slot. Throws ProtocolError `rate_limited` when too many already wait. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.max) {
      if (this.waiting.length >= this.max * WAITING_PER_SLOT) {
        throw new ProtocolError("rate_limited", `Too many ${this.name} at once; try again in a second.`, { retryAfterSeconds: 1, limit: this.max });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so `running` stays counted.
      if (next) next();
      else this.running--;
    }
  }
}

const SLOTS_KEY = Symbol.for("sealbook.request-slots");

/** The process-wide slots named `name` (one set per process, even when Next.js bundles this module apart from the server's copy). */
export function requestSlots(name: string, max: number): RequestSlots {
  const g = globalThis as typeof globalThis & { [SLOTS_KEY]?: Map<string, RequestSlots> };
  const all = (g[SLOTS_KEY] ??= new Map());
  let slots = all.get(name);
  if (!slots) all.set(name, (slots = new RequestSlots(name, max)));
  slots.resize(max);
  return slots;
}
