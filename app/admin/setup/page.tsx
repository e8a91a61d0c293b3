import type { Metadata } from "next";
import Link from "next/link";
import { FirstAdminForm } from "@/components/admin/first-admin-form";
import { SETUP_REFUSALS, setupRefusal } from "@/lib/admin/first-admin-setup";
import { MIN_PASSWORD_LENGTH } from "@/lib/admin/passwords";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";
// The token is in this page's address: no link from here may carry it to another page in a Referer.
export const metadata: Metadata = { title: "Create the first admin account", robots: { index: false, follow: false }, referrer: "no-referrer" };

/**
 * The setup link's page: open without a session, like sign-in. With a token that still works it
 * shows the form that creates the first admin account; otherwise it says why the link does not work.
 */
export default async function FirstAdminSetupPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const { ledger } = await getRuntime();
  const given = typeof token === "string" ? token : "";
  const refused = await setupRefusal(ledger.db, given, ledger.now());
  return (
    <div className="mx-auto max-w-md space-y-6">
      <div>
        <p className="text-sm font-semibold uppercase tracking-wide text-slate-700">Admin console</p>
        <h1 className="text-3xl font-bold tracking-tight">Create the first admin account</h1>
        <p className="mt-2 text-slate-700">
          {refused === null ? "This ledger has no admin account yet. " : null}The link that <code>npm start</code> prints on its console
          while a ledger has no admin account creates the first one, once, within an hour. You are signed in right after, and both are
          written to the admin log.
        </p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6">
        {refused === null ? (
          <FirstAdminForm token={given} minLength={MIN_PASSWORD_LENGTH} />
        ) : (
          <div className="space-y-3">
            <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-3 text-amber-950">
              {SETUP_REFUSALS[refused]}
            </p>
            <p>
              <Link className="link" href="/admin/sign-in">
                Go to sign-in
              </Link>
            </p>
          </div>
        )}
      </div>
    </div>
  );
}
