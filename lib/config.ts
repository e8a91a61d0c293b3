import path from "node:path";
import { z } from "zod";
import { requestLimitsSchema } from "./request-limits";

/**
 * Every setting Sealbook reads from the environment, with its default. README.md and
 * .env.example list the same variables; keep the three in step.
 */
export const envSchema = z.object({
  LEDGER_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).default("demo"),
  DATABASE_URL: z.string().optional(),
  /**
   * Connections each process keeps to PostgreSQL. Few is fast: postgres.js pipelines queries on a
   * connection, and PostgreSQL gains nothing from more busy backends than it has cores (the proofs
   * benchmark serves 2,700 req/s with 10 connections and 3,700 with 4 on 2 cores).
   */
  /** Hot standbys for public reads, comma-separated PostgreSQL URLs (README "Scale beyond one machine"); unset, all reads go to DATABASE_URL. */
  DATABASE_READ_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(4),
  SEALBOOK_DATA_DIR: z.string().default(".sealbook"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  SEAL_INTERVAL_SECONDS: z.coerce.number().min(0).default(30),
  SEALBOOK_DEMO: z.enum(["0", "1"]).optional(),
  /** Seconds between the living demo clinic's submissions on a demo ledger; `0` turns it off. */
  DEMO_CLINIC_INTERVAL_SECONDS: z.coerce.number().min(0).default(5),
  RPC_URL: z.string().optional(),
  NEXT_PUBLIC_RPC_URL: z.string().optional(),
  REGISTRY_ADDRESS: z.string().optional(),
  ANCHOR_PRIVATE_KEY: z.string().optional(),
  RECEIPT_PRIVATE_KEY: z.string().optional(),
  /** `sealbook deploy` only: the deployer and first admin (defaults to ANCHOR_PRIVATE_KEY). Never logged. */
  DEPLOYER_PRIVATE_KEY: z.string().optional(),
  CONFIRMATIONS: z.coerce.number().int().min(0).default(1),
  /** Chain blocks (the anchor's own included) after which an anchor cannot be reorganised away: answers carrying it are then cached `immutable` (lib/chain/anchoring/finality.ts). */
  FINALITY_DEPTH: z.coerce.number().int().min(1).default(64),
  ANCHOR_INTERVAL_SECONDS: z.coerce.number().min(0).default(30),
  /** Highest fee per gas (gwei) an anchor transaction or its fee-bump replacement may offer; unset, no cap. */
  ANCHOR_MAX_FEE_GWEI: z.coerce.number().positive().optional(),
  /** Mirror files (docs/PROTOCOL.md, "Appendix: mirror layout"): each sealed block is published here; unset, nothing is. */
  SEALBOOK_PUBLISH_DIR: z.string().optional(),
  SEAL_BY_MARGIN_SECONDS: z.coerce.number().min(0).default(300),
  HARDHAT_PORT: z.coerce.number().int().min(1).max(65535).default(8545),
  /** Extra OIDs (comma-separated) that make a certificate a record signer's, in its extKeyUsage or certificatePolicies (lib/ledger/signers/cert-rules.ts). */
  X509_SIGNING_PURPOSES: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((o) => o.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[0-2](\.\d+)+$/, { error: "each purpose must be a dotted OID such as 0.4.0.194112.1.2" }))),
  /** `off` runs no chain services in `npm start` (no local node, no anchoring); for benchmarks and read-only mirrors. */
  SEALBOOK_CHAIN: z.enum(["auto", "off"]).default("auto"),
  /** Operations (README "Operating Sealbook"): `json` writes one JSON object per log line; `pretty` is for people. */
  LOG_FORMAT: z.enum(["pretty", "json"]).default("pretty"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Bearer token for `GET /metrics` on PORT; unset, /metrics is not served there. */
  METRICS_TOKEN: z.string().min(16, "use at least 16 characters (e.g. `openssl rand -hex 32`)").optional(),
  /** Also serves /metrics, without a token, on 127.0.0.1:METRICS_PORT. */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** After SIGTERM, how long requests in flight may take before the process exits anyway. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(3600).default(25),
  ...requestLimitsSchema.shape,
  // The admin console (lib/admin/settings.ts derives its settings from these).
  /** An admin session ends after this many minutes without a request. */
  ADMIN_SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
  /** An admin session ends this many hours after sign-in, however busy. */
  ADMIN_SESSION_MAX_HOURS: z.coerce.number().positive().default(12),
  /** `auto`: Secure cookies when NODE_ENV is production; `1` always; `0` never (plain-HTTP tests only). */
  ADMIN_COOKIE_SECURE: z.enum(["auto", "1", "0"]).default("auto"),
  /** Reverse proxies in front of Sealbook that append to X-Forwarded-For; the client address is read that many entries from the right. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Extra origins (scheme://host[:port], comma-separated) whose pages may send admin mutations, besides the request's own host. */
  ADMIN_ALLOWED_ORIGINS: z.string().default(""),
  /** A block explorer for transaction links, e.g. https://sepolia.etherscan.io (well-known chains have one built in). */
  EXPLORER_URL: z.string().url().optional(),
  /** `0` sends every request of `npm start` through Next.js's router, even the hot endpoints (lib/server/fast-routes.ts). */
  SEALBOOK_FAST_ROUTES: z.enum(["0", "1"]).default("1"),
});

export type SealbookConfig = z.infer<typeof envSchema> & {
  /** The PGlite data directory, inside SEALBOOK_DATA_DIR. */
  pgliteDir: string;
  /** Whether demo data is seeded on an empty ledger. */
  demo: boolean;
  /** Whether admin session cookies are Secure: ADMIN_COOKIE_SECURE, where `auto` means when NODE_ENV is production. */
  adminCookieSecure: boolean;
};

/**
 * Reads the configuration from `env` (default `process.env`).
 * Throws an Error listing every variable that is set to a value that cannot be used.
 */
export function readConfig(env: Record<string, string | undefined> = process.env): SealbookConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Some environment variables are not valid:\n${lines}`);
  }
  const c = parsed.data;
  const demo = c.SEALBOOK_DEMO ? c.SEALBOOK_DEMO === "1" : !c.DATABASE_URL;
  // NODE_ENV is the toolchain's (Next.js sets it), not a Sealbook setting: it is read, not listed.
  const adminCookieSecure = c.ADMIN_COOKIE_SECURE === "auto" ? env.NODE_ENV === "production" : c.ADMIN_COOKIE_SECURE === "1";
  return { ...c, pgliteDir: path.join(c.SEALBOOK_DATA_DIR, "db"), demo, adminCookieSecure };
}
