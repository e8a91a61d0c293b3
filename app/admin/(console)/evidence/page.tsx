import type { Metadata } from "next";
import { EvidenceForm } from "@/components/admin/evidence-form";
import { requireAdminPage } from "@/lib/server/admin-page-gates";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Evidence" };

/** Search records, see what their evidence bundle (PROTOCOL §8) will hold, and download it. Each bundle made is logged. */
export default async function EvidencePage() {
  await requireAdminPage("evidence", "/admin/evidence");
  return (
    <>
      <h1 className="text-3xl font-bold tracking-tight">Evidence</h1>
      <div className="max-w-3xl space-y-2 text-slate-700">
        <p>
          An evidence bundle is one file that lets an investigator, a court or an auditor check given records years later, with no access to
          this ledger: each record with its proof, acceptance receipt and signer, the chain of blocks up to an anchored one, and the anchors.
          Only records sealed in an anchored block go in. A public bundle leaves the signed records out.
        </p>
        <p>Every bundle made is written to the admin log, with who made it and for which records.</p>
      </div>
      <EvidenceForm />
    </>
  );
}
