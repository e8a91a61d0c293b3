import { readConfig, type SealbookConfig } from "../config";

/**
 * The admin console's settings, derived from the one configuration (lib/config.ts: ADMIN_*,
 * TRUSTED_PROXY_HOPS, EXPLORER_URL) in the units the console uses.
 */
export interface AdminSettings {
  sessionIdleMs: number;
  sessionMaxMs: number;
  secureCookies: boolean;
  trustedProxyHops: number;
  allowedOrigins: string[];
  explorerUrl: string | null;
  /** Failed sign-ins within `throttleWindowMs` before sign-in is held back: per account and address (growing delays), per account from new addresses, per address for accounts new to it (lib/admin/throttle.ts). */
  maxFailuresPerPair: number;
  maxFailuresPerAccount: number;
  maxFailuresPerAddress: number;
  throttleWindowMs: number;
}

/**
 * Sign-in throttling within 15 minutes: 5 failures of an account from one address, then growing
 * delays; 20 of an account from addresses it never signed in from; 20 from an address for
 * accounts that never signed in from it.
 */
export const THROTTLE_DEFAULTS = { maxFailuresPerPair: 5, maxFailuresPerAccount: 20, maxFailuresPerAddress: 20, throttleWindowMs: 15 * 60_000 } as const;

/** The admin settings of a parsed configuration. */
export function adminSettingsFrom(config: SealbookConfig): AdminSettings {
  return {
    sessionIdleMs: config.ADMIN_SESSION_IDLE_MINUTES * 60_000,
    sessionMaxMs: config.ADMIN_SESSION_MAX_HOURS * 3_600_000,
    secureCookies: config.adminCookieSecure,
    trustedProxyHops: config.TRUSTED_PROXY_HOPS,
    allowedOrigins: config.ADMIN_ALLOWED_ORIGINS.split(",").map((o) => o.trim().replace(/\/+$/, "")).filter(Boolean),
    explorerUrl: config.EXPLORER_URL?.replace(/\/+$/, "") ?? null,
    ...THROTTLE_DEFAULTS,
  };
}

/**
 * Reads the admin settings from `env` (default `process.env`) through the one configuration.
 * Throws an Error listing every variable set to a value that cannot be used.
 */
export function readAdminSettings(env: Record<string, string | undefined> = process.env): AdminSettings {
  return adminSettingsFrom(readConfig(env));
}
