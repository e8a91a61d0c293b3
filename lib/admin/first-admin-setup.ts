/**
 * The first admin account of a fresh embedded ledger, made in the browser through the setup link
 * that `npm start` prints (setup-link.ts holds the token rules). The link is offered only while the
 * ledger has no admin account at all, and only on an embedded ledger, whose console belongs to the
 * person running it (a PostgreSQL deployment's logs may travel further: there, `sealbook admin create`).
 */
import { sql } from "drizzle-orm";
import { queryRows, type Database } from "../../db/client";
import { ProtocolError } from "../protocol/errors";
import { writeAdminLog, type ClientInfo } from "./admin-log";
import { checkPasswordPolicy } from "./passwords";
import type { SessionTiming } from "./sessions";
import { currentSetupLink, installSetupLink, SetupLink, type SetupRefusal } from "./setup-link";
import { openAdminSession } from "./sign-in";
import { createAdminUser, normalizeEmail, type AdminUser } from "./users";

/** The path of the setup page; the token goes in its `token` query parameter. */
export const SETUP_PATH = "/admin/setup";

/** What each refusal tells the person holding the link, and what to do. */
export const SETUP_REFUSALS: Record<SetupRefusal | "none", string> = {
  none: "No setup link is open on this server. Create an admin account with `npm run sealbook -- admin create --email EMAIL`.",
  unknown: "This setup link is not valid. Copy the whole link that `npm start` printed on its console.",
  used: "This setup link was used already: it works once. Sign in with the account it created.",
  expired: "This setup link has expired: it works for one hour. Restart `npm start` to get a new one.",
  in_use: "This setup link is being used right now, in another tab or browser. Wait a moment and reload.",
  closed: "This ledger has an admin account already, so the setup link no longer works. Sign in instead.",
};

/** Whether the ledger has any admin account (of any role, disabled ones too). */
async function hasAdminAccount(db: Database): Promise<boolean> {
  const rows = await queryRows<{ one: number }>(db, sql`select 1 as one from admin_users limit 1`);
  return rows.length > 0;
}

/**
 * Issues and installs this process's setup link when the ledger is embedded and has no admin
 * account; returns its URL (`origin` + SETUP_PATH + token), to be printed on the console, or null.
 */
export async function offerFirstAdminSetup(db: Database, options: { embedded: boolean; origin: string; now: Date }): Promise<string | null> {
  if (!options.embedded || (await hasAdminAccount(db))) {
    installSetupLink(null);
    return null;
  }
  const { link, token } = SetupLink.issue(options.now);
  installSetupLink(link);
  return `${options.origin}${SETUP_PATH}?token=${token}`;
}

/**
 * Why `token` cannot create the first admin account now, or null when it can; what the setup page
 * shows. An admin account made meanwhile (the CLI) closes the link for good.
 */
export async function setupRefusal(db: Database, token: unknown, now: Date, link: SetupLink | null = currentSetupLink()): Promise<SetupRefusal | "none" | null> {
  if (!link) return "none";
  const refused = link.refusal(token, now);
  if (refused !== null) return refused;
  if (await hasAdminAccount(db)) {
    link.close();
    return "closed";
  }
  return null;
}

/**
 * Creates the first admin account (role admin) with the setup link's token, signs it in and writes
 * both to the admin log. The account is created only while no account exists (checked under a
 * table lock, so the CLI cannot slip one in beside it), and the link then never works again. A bad
 * email or password refuses before the link is touched, so it can be tried again.
 * Throws ProtocolError `invalid_request` for a bad email or password, `forbidden` for a refused link
 * (logged, with the reason).
 */
export async function completeFirstAdminSetup(
  db: Database,
  input: { token: unknown; email: unknown; password: unknown },
  client: ClientInfo,
  now: Date,
  timing: SessionTiming,
  link: SetupLink | null = currentSetupLink(),
): Promise<{ user: AdminUser; token: string; expiresAt: Date }> {
  const refuse = async (reason: SetupRefusal | "none"): Promise<never> => {
    await writeAdminLog(db, {
      at: now,
      actor: { userId: null, email: typeof input.email === "string" ? input.email.slice(0, 254) : null, role: null },
      action: "user.create",
      outcome: "denied",
      details: { via: "setup link", reason },
      client,
    });
    throw new ProtocolError("forbidden", SETUP_REFUSALS[reason], { reason });
  };
  const before = await setupRefusal(db, input.token, now, link);
  if (before !== null || !link) return refuse(before ?? "none");
  const email = normalizeEmail(input.email);
  const password = typeof input.password === "string" ? input.password : "";
  checkPasswordPolicy(password);

  const claimed = link.claim(input.token, now);
  if (claimed !== null) return refuse(claimed);
  let user: AdminUser | null = null;
  try {
    user = await db.transaction(async (tx) => {
      await tx.execute(sql`lock table admin_users in share row exclusive mode`);
      if (await hasAdminAccount(tx)) return null;
      return createAdminUser(tx, { email, role: "admin", password });
    });
  } finally {
    if (user) link.used();
    else link.release();
  }
  if (!user) {
    link.close();
    return refuse("closed");
  }
  await writeAdminLog(db, {
    at: now,
    actor: { userId: user.id, email: user.email, role: user.role },
    action: "user.create",
    target: user.email,
    outcome: "ok",
    details: { role: user.role, via: "setup link" },
    client,
  });
  return openAdminSession(db, user, client, now, timing, { via: "setup link" });
}
