import { getLedgerStatus } from "@/lib/ledger/reads";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const status = await getLedgerStatus(await getLedger());
  return (
    <main className="mx-auto max-w-3xl p-6">
      <h1 className="text-2xl font-semibold">Sealbook ledger “{status.ledgerId}”</h1>
      <p className="mt-2">
        Head: block {status.head.height}, root <code className="break-all">{status.head.root}</code>. {status.totalEntries} sealed entries,{" "}
        {status.pendingCount} pending.
      </p>
    </main>
  );
}
