/**
 * Shared setup of the admin console tests: a fresh ledger on a driver, installed as the route
 * handlers' runtime, admin accounts of every role, and helpers that call the admin route handlers
 * in process with real Request objects. Not a test file itself.
 */
import { installAdminSettings } from "../../../lib/admin/http/guard";
import { ADMIN_ROLES, type AdminRole } from "../../../lib/admin/roles";
import { readAdminSettings, type AdminSettings } from "../../../lib/admin/settings";
import { signIn } from "../../../lib/admin/sign-in";
import { createAdminUser } from "../../../lib/admin/users";
import { readConfig, type SealbookConfig } from "../../../lib/config";
import { openLedger, type LedgerContext } from "../../../lib/ledger/context";
import { installRuntime } from "../../../lib/server/runtime";
import { freshDatabase, type Driver } from "../../support/db";

export const ORIGIN = "http://localhost";
export const PASSWORD = "correct horse battery staple";

/** A clock a test can move. */
export class TestClock {
  private at: number;
  constructor(start = Date.now()) {
    this.at = start;
  }
  now = (): Date => new Date(this.at);
  advance(ms: number): void {
    this.at += ms;
  }
}

export interface AdminEnv {
  db: Awaited<ReturnType<typeof freshDatabase>>;
  ledger: LedgerContext;
  clock: TestClock;
  settings: AdminSettings;
  /** The email of the account of each role. */
  emails: Record<AdminRole, string>;
  /** A Cookie header of a fresh session of `role`. */
  cookieFor(role: AdminRole): Promise<string>;
  dispose(): Promise<void>;
}

/**
 * A fresh ledger on `driver` with a moveable clock, installed for the route handlers, and one
 * account per role (password PASSWORD). Admin settings: plain (non-Secure) cookies, and whatever
 * `settings` overrides.
 */
export async function adminEnv(driver: Driver, options: { settings?: Partial<AdminSettings>; config?: Record<string, string> } = {}): Promise<AdminEnv> {
  const db = await freshDatabase(driver);
  const clock = new TestClock();
  const ledger = await openLedger(db, "admin-test", clock.now);
  const config: SealbookConfig = readConfig({ LEDGER_ID: "admin-test", SEALBOOK_CHAIN: "off", ...options.config });
  installRuntime({ config, handle: db, ledger });
  const settings = { ...readAdminSettings({ ADMIN_COOKIE_SECURE: "0" }), ...options.settings };
  installAdminSettings(settings);
  const emails = Object.fromEntries(ADMIN_ROLES.map((role) => [role, `${role}@sealbook.test`])) as Record<AdminRole, string>;
  for (const role of ADMIN_ROLES) await createAdminUser(db.db, { email: emails[role], role, password: PASSWORD });
  return {
    db,
    ledger,
    clock,
    settings,
    emails,
    async cookieFor(role) {
      const { token } = await signIn(db.db, { email: emails[role], password: PASSWORD }, { ip: "192.0.2.10", userAgent: "admin test" }, clock.now(), settings);
      return `sealbook_admin=${token}`;
    },
    dispose: () => db.dispose(),
  };
}

/** Options of an in-process request to an admin route handler. */
export interface CallOptions {
  cookie?: string;
  body?: unknown;
  /** Origin header for mutations (default ORIGIN; null sends none). */
  origin?: string | null;
  headers?: Record<string, string>;
}

/** A Request as a browser on the console would send it: JSON body, same Origin on mutations. */
export function adminRequest(method: string, path: string, options: CallOptions = {}): Request {
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  const mutation = !["GET", "HEAD", "OPTIONS"].includes(method);
  const origin = options.origin === undefined ? ORIGIN : options.origin;
  if (mutation && origin !== null) headers.origin = origin;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  return new Request(`${ORIGIN}${path}`, { method, headers, body });
}

type Handler = (request: Request, context?: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a route handler with a Request built by `adminRequest` and the given path parameters. */
export function call(handler: unknown, method: string, path: string, options: CallOptions & { params?: Record<string, string> } = {}): Promise<Response> {
  return (handler as Handler)(adminRequest(method, path, options), { params: Promise.resolve(options.params ?? {}) });
}

/** Reads an NDJSON job stream to its end: the progress messages and the final event. */
export async function readJobStream(response: Response): Promise<{ progress: string[]; final: { type: string; [key: string]: unknown } }> {
  const text = await response.text();
  const events = text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { type: string; message?: string; [key: string]: unknown });
  const final = events[events.length - 1];
  if (!final || (final.type !== "result" && final.type !== "error")) throw new Error(`The job stream did not end with a result or an error:\n${text}`);
  return { progress: events.filter((e) => e.type === "progress").map((e) => e.message ?? ""), final };
}
