import { cookies, headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import type { Runtime } from "../../ledger/runtime";
import { writeAdminLog } from "../admin-log";
import { can, PERMISSIONS, type Permission } from "../roles";
import { resolveSession, type AdminSession } from "../sessions";
import { clientInfo } from "./client";
import { sessionCookieName } from "./cookies";
import { getAdminSettings } from "./guard";

/** A signed-in admin on a page, with what the role may do (for showing only the controls that work). */
export interface PageAdmin {
  session: AdminSession;
  may: Record<Permission, boolean>;
}

/**
 * The gates of the admin pages, reading the runtime from `getRuntime`; lib/server/admin-page-gates.ts
 * makes them with the process's runtime.
 */
export function adminPageGates(getRuntime: () => Promise<Runtime>) {
  /** The live session of the page request, or null. */
  async function currentAdmin(): Promise<PageAdmin | null> {
    const settings = getAdminSettings();
    const runtime = await getRuntime();
    const token = (await cookies()).get(sessionCookieName(settings.secureCookies))?.value ?? null;
    const session = await resolveSession(runtime.ledger.db, token, runtime.ledger.now(), settings);
    if (!session) return null;
    return { session, may: Object.fromEntries(PERMISSIONS.map((p) => [p, can(session.role, p)])) as Record<Permission, boolean> };
  }

  /**
   * The gate of every admin page: redirects to the sign-in page (and back to `path` afterwards)
   * without a live session; answers 403 (the console's forbidden page) when the role lacks
   * `permission`, and logs that. Call it first in the page, before anything is read.
   */
  async function requireAdminPage(permission: Permission, path: string): Promise<PageAdmin> {
    const admin = await currentAdmin();
    if (!admin) redirect(`/admin/sign-in?next=${encodeURIComponent(path)}`);
    if (!admin.may[permission]) {
      const runtime = await getRuntime();
      const { session } = admin;
      await writeAdminLog(runtime.ledger.db, {
        at: runtime.ledger.now(),
        actor: { userId: session.userId, email: session.email, role: session.role },
        action: "access_denied",
        target: `GET ${path}`,
        outcome: "denied",
        details: { reason: `the page needs the "${permission}" permission` },
        client: clientInfo(await headers(), getAdminSettings().trustedProxyHops),
      });
      forbidden();
    }
    return admin;
  }

  return { currentAdmin, requireAdminPage };
}
