import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/admin/change-password-form";
import { requireAdminPage } from "@/lib/server/admin-page-gates";
import { MIN_PASSWORD_LENGTH } from "@/lib/admin/passwords";
import { ROLE_PERMISSIONS } from "@/lib/admin/roles";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account" };

/** The signed-in admin's own account: role, what it may do, session end, and a password change. */
export default async function AccountPage() {
  const { session } = await requireAdminPage("read", "/admin/account");
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Your account</h1>
      <dl className="grid max-w-xl gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-[10rem_1fr]">
        <dt className="font-semibold text-slate-700">Email</dt>
        <dd>{session.email}</dd>
        <dt className="font-semibold text-slate-700">Role</dt>
        <dd>
          {session.role}: {ROLE_PERMISSIONS[session.role].join(", ")}
        </dd>
        <dt className="font-semibold text-slate-700">Session ends</dt>
        <dd>
          {session.expiresAt.toISOString().replace("T", " ").slice(0, 16)} UTC at the latest, or after a while without use
        </dd>
      </dl>
      <h2 className="text-xl font-semibold">Change your password</h2>
      <p className="max-w-2xl text-slate-700">
        Changing it signs out your other sessions, in other browsers or on other devices, and keeps this one. The change is written to the
        admin log; a wrong current password changes nothing and is logged too, and five of them sign this account out everywhere.
      </p>
      <ChangePasswordForm minLength={MIN_PASSWORD_LENGTH} />
    </>
  );
}
