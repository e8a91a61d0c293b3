import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/admin/sign-in-form";
import { currentAdmin } from "@/lib/server/admin-page-gates";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Admin sign-in", robots: { index: false, follow: false } };

/** The admin console's sign-in page: the one console page open without a session. */
export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  if (await currentAdmin()) redirect("/admin");
  const { next } = await searchParams;
  return (
    <div className="mx-auto max-w-md space-y-6">
      <div>
        <p className="text-sm font-semibold uppercase tracking-wide text-slate-700">Admin console</p>
        <h1 className="text-3xl font-bold tracking-tight">Sign in</h1>
        <p className="mt-2 text-slate-700">For the people who run this ledger. Every sign-in and every action is written to the admin log.</p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6">
        <SignInForm next={typeof next === "string" ? next : null} />
      </div>
    </div>
  );
}
