import { submitRecords } from "@/lib/ledger/ingest";
import { answerProblems, problemOf } from "@/lib/http/problem";
import { readRecordBatch } from "@/lib/http/records";
import { json } from "@/lib/http/request";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** Submits up to 1,000 signed records; each is accepted or rejected on its own. */
export async function POST(request: Request): Promise<Response> {
  return answerProblems(async () => {
    const items = await readRecordBatch(request);
    const results = await submitRecords(await getLedger(), items);
    const body = results.map((r, index) =>
      r.ok
        ? { index, status: "accepted" as const, entryHash: r.entryHash, acceptedAt: r.acceptedAt.toISOString() }
        : { index, status: "rejected" as const, ...(r.entryHash ? { entryHash: r.entryHash } : {}), problem: problemOf(r.error) },
    );
    const accepted = body.filter((r) => r.status === "accepted").length;
    return json({ accepted, rejected: body.length - accepted, results: body });
  });
}
