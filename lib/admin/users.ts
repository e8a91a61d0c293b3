import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { adminUsers } from "../../db/schema";
import { ProtocolError } from "../protocol/errors";
import { checkPasswordPolicy, hashPassword, verifyPassword } from "./passwords";
import { endUserSessions } from "./sessions";
import { ADMIN_ROLES, type AdminRole } from "./roles";

/** An admin account, without its password hash. */
export interface AdminUser {
  id: number;
  email: string;
  role: AdminRole;
  createdAt: Date;
  disabledAt: Date | null;
}

export type AdminUserRow = typeof adminUsers.$inferSelect;

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, { error: "An email address has at most 254 characters." })
  .regex(/^[^\s@]+@[^\s@]+$/, { error: "This is not an email address." });

/** An email address as accounts are keyed: trimmed and lower-case. Throws ProtocolError `invalid_request`. */
export function normalizeEmail(email: unknown): string {
  const parsed = emailSchema.safeParse(email);
  if (!parsed.success) throw new ProtocolError("invalid_request", parsed.error.issues[0].message, { email: typeof email === "string" ? email : null });
  return parsed.data;
}

export function toAdminUser(row: AdminUserRow): AdminUser {
  return { id: row.id, email: row.email, role: row.role, createdAt: row.createdAt, disabledAt: row.disabledAt };
}

/**
 * Creates an admin account with an argon2id-hashed password.
 * Throws ProtocolError `invalid_request` for a bad email, role or password, or an email already taken.
 */
export async function createAdminUser(db: Database, input: { email: string; role: AdminRole; password: string }): Promise<AdminUser> {
  const email = normalizeEmail(input.email);
  if (!ADMIN_ROLES.includes(input.role)) {
    throw new ProtocolError("invalid_request", `The role must be one of ${ADMIN_ROLES.join(", ")}; got ${JSON.stringify(input.role)}.`);
  }
  checkPasswordPolicy(input.password);
  const passwordHash = await hashPassword(input.password);
  const [row] = await db.insert(adminUsers).values({ email, role: input.role, passwordHash }).onConflictDoNothing().returning();
  if (!row) throw new ProtocolError("invalid_request", `An admin account for ${email} exists already.`, { email });
  return toAdminUser(row);
}

/** The account with this email (any case), or null. */
export async function findAdminUser(db: Database, email: string): Promise<AdminUserRow | null> {
  const rows = await db.select().from(adminUsers).where(eq(adminUsers.email, email.trim().toLowerCase()));
  return rows[0] ?? null;
}

/** Every admin account, oldest first. */
export async function listAdminUsers(db: Database): Promise<AdminUser[]> {
  const rows = await db.select().from(adminUsers).orderBy(adminUsers.id);
  return rows.map(toAdminUser);
}

/**
 * Disables an account and ends its sessions; it can no longer sign in. Disabling twice keeps the
 * first time. Throws ProtocolError `not_found`.
 */
export async function disableAdminUser(db: Database, email: string, at: Date): Promise<AdminUser> {
  const user = await findAdminUser(db, email);
  if (!user) throw new ProtocolError("not_found", `No admin account has the email ${email}.`, { email });
  await db.transaction(async (tx) => {
    await tx.execute(sql`update admin_users set disabled_at = ${at.toISOString()}::timestamptz where id = ${user.id} and disabled_at is null`);
    await endUserSessions(tx, user.id);
  });
  return toAdminUser((await findAdminUser(db, email))!);
}

/**
 * Changes the password of account `userId`, given its current password. Throws ProtocolError
 * `invalid_request` when the current password is wrong (nothing changes), the new one breaks the
 * policy or equals the current one, and `forbidden` for a disabled account. Ending the account's
 * other sessions is the caller's part (`endUserSessions`), since it knows which one to keep.
 */
export async function changeAdminPassword(db: Database, userId: number, input: { current: string; next: string }): Promise<AdminUser> {
  const [row] = await db.select().from(adminUsers).where(eq(adminUsers.id, userId));
  if (!row || row.disabledAt) throw new ProtocolError("forbidden", "This account is disabled; its password cannot be changed.");
  if (!(await verifyPassword(row.passwordHash, input.current))) {
    throw new ProtocolError("invalid_request", "The current password is not right, so nothing was changed.", { wrongCurrentPassword: true });
  }
  if (input.next === input.current) throw new ProtocolError("invalid_request", "The new password must differ from the current one.");
  checkPasswordPolicy(input.next);
  await db.update(adminUsers).set({ passwordHash: await hashPassword(input.next) }).where(eq(adminUsers.id, userId));
  return toAdminUser(row);
}
