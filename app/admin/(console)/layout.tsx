import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AdminNav } from "@/components/admin/admin-nav";
import { SignOutButton } from "@/components/admin/sign-out-button";
import { currentAdmin } from "@/lib/server/admin-page-gates";

export const metadata: Metadata = { title: { default: "Admin console", template: "%s · Admin · Sealbook" }, robots: { index: false, follow: false } };

/**
 * The console's frame: who is signed in, sign-out, and the sections. It shows nothing of the ledger:
 * each page checks the session and the role itself (layouts are not re-run on every navigation).
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const admin = await currentAdmin();
  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-3 border-b border-slate-300 pb-4">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm font-semibold uppercase tracking-wide text-slate-700">Admin console</p>
          {admin ? (
            <p className="flex flex-wrap items-center gap-3 text-sm">
              <span>
                Signed in as <strong>{admin.session.email}</strong> ({admin.session.role})
              </span>
              <SignOutButton />
            </p>
          ) : null}
        </div>
        {admin ? <AdminNav /> : null}
      </div>
      {children}
    </div>
  );
}
