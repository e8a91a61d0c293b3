import type { Metadata } from "next";
import { JobRunner } from "@/components/admin/job-runner";
import { requireAdminPage } from "@/lib/server/admin-page-gates";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit" };

/** Runs `sealbook audit --chain` from the console, shows its progress and its report, and offers it as JSON. */
export default async function AuditPage() {
  await requireAdminPage("audit", "/admin/audit");
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Audit</h1>
      <div className="max-w-3xl space-y-2 text-slate-700">
        <p>
          The audit re-verifies the whole ledger from the database, trusting no stored conclusion: every entry hash against its record, every
          signature under its signer&apos;s key as valid when accepted, every link between blocks, every block root recomputed, and the counts.
          With the chain, every root is also compared with the one the registry holds.
        </p>
        <p>It reads everything, so on a large ledger it takes a while; the report names every finding with its block and entry.</p>
      </div>
      <JobRunner kind="audit" label="Run the audit" chainOption />
    </>
  );
}
