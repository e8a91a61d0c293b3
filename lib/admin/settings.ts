import { z } from "zod";

/**
 * The admin console's settings, from the environment; every one is optional. README.md lists them
 * with the others.
 */
export const adminEnvSchema = z.object({
  /** A session ends after this many minutes without a request. */
  ADMIN_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  /** A session ends this many hours after sign-in, however busy. */
  ADMIN_SESSION_MAX_HOURS: z.coerce.number().positive().default(12),
  /** `auto`: Secure cookies when NODE_ENV is production; `1` always; `0` never (plain-HTTP tests only). */
  ADMIN_COOKIE_SECURE: z.enum(["auto", "1", "0"]).default("auto"),
  /** Reverse proxies in front of Sealbook that append to X-Forwarded-For; the client address is read that many entries from the right. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Extra origins (scheme://host[:port], comma-separated) whose pages may send admin mutations, besides the request's own host. */
  ADMIN_ALLOWED_ORIGINS: z.string().default(""),
  /** A block explorer for transaction links, e.g. https://sepolia.etherscan.io (well-known chains have one built in). */
  EXPLORER_URL: z.string().url().optional(),
});

export interface AdminSettings {
  sessionIdleMs: number;
  sessionMaxMs: number;
  secureCookies: boolean;
  trustedProxyHops: number;
  allowedOrigins: string[];
  explorerUrl: string | null;
  /** Failed sign-ins per account, and per client address, within `throttleWindowMs` before sign-in is refused. */
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  throttleWindowMs: number;
}

/** Sign-in throttling: 5 failures per account or 20 per address within 15 minutes. */
export const THROTTLE_DEFAULTS = { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, throttleWindowMs: 15 * 60_000 } as const;

/**
 * Reads the admin settings from `env` (default `process.env`).
 * Throws an Error listing every variable set to a value that cannot be used.
 */
export function readAdminSettings(env: Record<string, string | undefined> = process.env): AdminSettings {
  const parsed = adminEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Some admin console settings are not valid:\n${lines}`);
  }
  const c = parsed.data;
  return {
    sessionIdleMs: c.ADMIN_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: c.ADMIN_SESSION_MAX_HOURS * 3_600_000,
    secureCookies: c.ADMIN_COOKIE_SECURE === "auto" ? env.NODE_ENV === "production" : c.ADMIN_COOKIE_SECURE === "1",
    trustedProxyHops: c.TRUSTED_PROXY_HOPS,
    allowedOrigins: c.ADMIN_ALLOWED_ORIGINS.split(",").map((o) => o.trim().replace(/\/+$/, "")).filter(Boolean),
    explorerUrl: c.EXPLORER_URL?.replace(/\/+$/, "") ?? null,
    ...THROTTLE_DEFAULTS,
  };
}
