/**
 * The gate of every `/api/v1/admin/*` route handler: `adminRoute(permission, handler)` answers 401
 * without a live session, 403 for a cross-origin mutation or a role without `permission`, and only
 * then runs the handler. Refusals of a signed-in admin are written to the admin log. The one public
 * admin endpoint, signing in, uses `publicAdminRoute` (same-origin check only). The gates are made
 * by `adminGates(getRuntime)` with the process's runtime; lib/server/admin-gates.ts makes them for
 * the route handlers.
 */
import type { LedgerContext } from "../../ledger/context";
import { ProtocolError } from "../../protocol/errors";
import { containsNul } from "../../protocol/text";
import { answerProblems } from "../../http/problem";
import type { Runtime } from "../../ledger/runtime";
import { writeAdminLog, type AdminAction, type AdminOutcome, type ClientInfo } from "../admin-log";
import { can, type Permission } from "../roles";
import { resolveSession, type AdminSession } from "../sessions";
import { readAdminSettings, type AdminSettings } from "../settings";
import { clientInfo } from "./client";
import { readSessionToken } from "./cookies";
import { checkSameOrigin, isMutation } from "./origin";

const SETTINGS_KEY = Symbol.for("sealbook.admin-settings");
type SettingsGlobal = typeof globalThis & { [SETTINGS_KEY]?: AdminSettings };

/** The admin settings of this process: those `npm start` installed from its configuration, or else read through lib/config.ts on first use. */
export function getAdminSettings(): AdminSettings {
  const g = globalThis as SettingsGlobal;
  g[SETTINGS_KEY] ??= readAdminSettings();
  return g[SETTINGS_KEY];
}

/** Installs admin settings for this process (tests, or a server that read them already). */
export function installAdminSettings(settings: AdminSettings): void {
  (globalThis as SettingsGlobal)[SETTINGS_KEY] = settings;
}

/** What an admin route handler gets once the gate let the request through. */
export interface AdminCall<P> {
  request: Request;
  params: P;
  session: AdminSession;
  runtime: Runtime;
  ledger: LedgerContext;
  client: ClientInfo;
  settings: AdminSettings;
  /** Appends an entry for this admin's action to the admin log (outcome `ok` unless said). */
  log(entry: { action: AdminAction; target?: string | null; outcome?: AdminOutcome; details?: Record<string, unknown> }): Promise<void>;
}

type RouteContext<P> = { params: Promise<P> };

/**
 * A wrapped admin route handler, carrying the access it requires so that the access test can
 * check every exported handler of every admin route file.
 */
export type AdminRouteHandler<P> = ((request: Request, context?: RouteContext<P>) => Promise<Response>) & { access: Permission | "public" };

/** Logs that a signed-in admin was refused, then throws the refusal. */
async function refuse(runtime: Runtime, session: AdminSession, client: ClientInfo, request: Request, error: ProtocolError): Promise<never> {
  const url = new URL(request.url);
  await writeAdminLog(runtime.ledger.db, {
    at: runtime.ledger.now(),
    actor: { userId: session.userId, email: session.email, role: session.role },
    action: "access_denied",
    target: `${request.method} ${url.pathname}`,
    outcome: "denied",
    details: { reason: error.message },
    client,
  });
  throw error;
}

/** The public part of a request to an admin route: its runtime, settings, client and live session, if any. */
export interface AdminRequest {
  settings: AdminSettings;
  runtime: Runtime;
  client: ClientInfo;
  token: string | null;
  session: AdminSession | null;
}

/** The gates of the admin route handlers, reading the runtime from `getRuntime` on each request. */
export function adminGates(getRuntime: () => Promise<Runtime>) {
  /** The public part of a request to an admin route: its runtime, settings, client and live session, if any. */
  async function readAdminRequest(request: Request): Promise<AdminRequest> {
    const settings = getAdminSettings();
    const runtime = await getRuntime();
    const now = runtime.ledger.now();
    const client = clientInfo(request.headers, settings.trustedProxyHops);
    const token = readSessionToken(request.headers.get("cookie"), settings.secureCookies);
    const session = await resolveSession(runtime.ledger.db, token, now, settings);
    return { settings, runtime, client, token, session };
  }

  /**
   * Wraps an admin route handler: 401 `unauthorized` without a live session, 403 `forbidden` for a
   * cross-origin mutation or a role lacking `permission` (both logged), problem+json for whatever the
   * handler throws.
   */
  function adminRoute<P = Record<string, never>>(permission: Permission, handler: (call: AdminCall<P>) => Promise<Response>): AdminRouteHandler<P> {
    const route = (request: Request, context?: RouteContext<P>): Promise<Response> =>
      answerProblems(async () => {
        const { settings, runtime, client, session } = await readAdminRequest(request);
        if (!session) throw new ProtocolError("unauthorized", "Sign in to the admin console first (your session may have ended).");
        if (isMutation(request)) {
          try {
            checkSameOrigin(request, settings);
          } catch (error) {
            if (error instanceof ProtocolError) await refuse(runtime, session, client, request, error);
            throw error;
          }
        }
        if (!can(session.role, permission)) {
          await refuse(runtime, session, client, request, new ProtocolError("forbidden", `Your role (${session.role}) may not do this: it needs the "${permission}" permission.`, { role: session.role, permission }));
        }
        const params = ((await context?.params) ?? {}) as P;
        if (containsNul(params)) throw new ProtocolError("invalid_request", "The path contains a NUL character (U+0000).");
        const ledger = runtime.ledger;
        return handler({
          request,
          params,
          session,
          runtime,
          ledger,
          client,
          settings,
          log: (entry) =>
            writeAdminLog(ledger.db, {
              at: ledger.now(),
              actor: { userId: session.userId, email: session.email, role: session.role },
              action: entry.action,
              target: entry.target ?? null,
              outcome: entry.outcome ?? "ok",
              details: entry.details,
              client,
            }),
        });
      });
    return Object.assign(route, { access: permission });
  }

  /**
   * Wraps the one admin endpoint open without a session (signing in): mutations must still be
   * same-origin, so that another site cannot sign a browser in to an account of its choosing.
   */
  function publicAdminRoute(handler: (call: AdminRequest & { request: Request }) => Promise<Response>): AdminRouteHandler<Record<string, never>> {
    const route = (request: Request): Promise<Response> =>
      answerProblems(async () => {
        const read = await readAdminRequest(request);
        checkSameOrigin(request, read.settings);
        return handler({ ...read, request });
      });
    return Object.assign(route, { access: "public" as const });
  }

  return { readAdminRequest, adminRoute, publicAdminRoute };
}
