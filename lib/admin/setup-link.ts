/**
 * The one-time setup link of a fresh embedded ledger: a random 256-bit token that lets the person
 * at the server's console create the first admin account in the browser. Only the token's SHA-256
 * is kept, in the memory of the server process that printed it; the link works once, for an hour,
 * and never again once any admin account exists (first-admin-setup.ts checks the database).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** How long a setup link works after it is printed. */
export const SETUP_LINK_LIFETIME_MS = 60 * 60_000;

/** Why a setup token is refused: not this link's, used already, past its hour, being used right now, or the ledger has an account. */
export type SetupRefusal = "unknown" | "used" | "expired" | "in_use" | "closed";

function sha256(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/**
 * One setup link's token rules. `issue` makes a link and hands out its token once; `refusal`
 * checks a token without using it; `claim` takes it for one attempt, which ends in `used` or
 * `release` (the attempt failed and the link may be tried again); `close` ends the link for good.
 */
export class SetupLink {
  readonly expiresAt: Date;
  readonly #tokenHash: Buffer;
  #state: "open" | "claimed" | "used" | "closed" = "open";

  private constructor(tokenHash: Buffer, expiresAt: Date) {
    this.#tokenHash = tokenHash;
    this.expiresAt = expiresAt;
  }

  /** A new link, working until `now` + one hour; its token is returned here and nowhere else. */
  static issue(now: Date): { link: SetupLink; token: string } {
    const token = randomBytes(32).toString("base64url");
    return { link: new SetupLink(sha256(token), new Date(now.getTime() + SETUP_LINK_LIFETIME_MS)), token };
  }

  /** Why `token` cannot be used at `now`, or null when it can. Changes nothing. */
  refusal(token: unknown, now: Date): SetupRefusal | null {
    if (typeof token !== "string" || token.length === 0 || token.length > 100 || !timingSafeEqual(sha256(token), this.#tokenHash)) return "unknown";
    if (this.#state === "closed") return "closed";
    if (this.#state === "used") return "used";
    if (now >= this.expiresAt) return "expired";
    if (this.#state === "claimed") return "in_use";
    return null;
  }

  /**
   * Takes the link for one attempt, so that two attempts at once cannot both create an account.
   * Returns null when claimed, or the refusal. Follow with `used()` or `release()`.
   */
  claim(token: unknown, now: Date): SetupRefusal | null {
    const refused = this.refusal(token, now);
    if (refused === null) this.#state = "claimed";
    return refused;
  }

  /** The claimed attempt created the account: the link never works again. */
  used(): void {
    this.#state = "used";
  }

  /** The claimed attempt failed without creating anything: the link may be tried again (within its hour). */
  release(): void {
    if (this.#state === "claimed") this.#state = "open";
  }

  /** The ledger has an account: the link never works again. */
  close(): void {
    if (this.#state !== "used") this.#state = "closed";
  }
}

const LINK_KEY = Symbol.for("sealbook.admin-setup-link");
type LinkGlobal = typeof globalThis & { [LINK_KEY]?: SetupLink | null };

/**
 * Makes `link` this process's setup link. It lives on globalThis because Next.js bundles its own
 * copy of this module: the route handler and page must see the link `npm start` printed.
 */
export function installSetupLink(link: SetupLink | null): void {
  (globalThis as LinkGlobal)[LINK_KEY] = link;
}

/** This process's setup link, or null when none was issued (an account existed, or PostgreSQL). */
export function currentSetupLink(): SetupLink | null {
  return (globalThis as LinkGlobal)[LINK_KEY] ?? null;
}
