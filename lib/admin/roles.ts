/**
 * Who may do what in the admin console. Every admin page and `/api/v1/admin/*` route names the one
 * permission it needs; a role is a set of permissions.
 */

export const ADMIN_ROLES = ["admin", "operator", "auditor"] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

export const PERMISSIONS = ["read", "audit", "seal", "anchor", "signers", "certification_centers", "users", "evidence"] as const;
/**
 * `read`: see the console (dashboard, anchors, signers, centres, admin log); `audit`: run an audit;
 * `seal`, `anchor`: run those jobs now (anchor also re-checks an alarm); `signers`: register, edit
 * and revoke signer keys; `certification_centers`: trust and distrust CA certificates; `users`: manage admin accounts;
 * `evidence`: make evidence bundles (PROTOCOL §8) of chosen records, JWS included.
 */
export type Permission = (typeof PERMISSIONS)[number];

/** What each role may do: admins everything, operators run the ledger, auditors read and audit. */
export const ROLE_PERMISSIONS: Record<AdminRole, readonly Permission[]> = {
  admin: PERMISSIONS,
  operator: ["read", "seal", "anchor", "signers", "evidence"],
  auditor: ["read", "audit", "evidence"],
};

/** Whether `role` has `permission`. */
export function can(role: AdminRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}

/** Whether a string is an admin role. */
export function isAdminRole(value: unknown): value is AdminRole {
  return typeof value === "string" && (ADMIN_ROLES as readonly string[]).includes(value);
}
