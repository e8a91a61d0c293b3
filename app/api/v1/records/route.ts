import { submitRecord } from "@/lib/ledger/ingest";
import { answerProblems } from "@/lib/http/problem";
import { readSingleRecord } from "@/lib/http/records";
import { json } from "@/lib/http/request";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** Submits one signed record (PROTOCOL §1). 201 with its entry hash, or problem+json. */
export async function POST(request: Request): Promise<Response> {
  return answerProblems(async () => {
    const jws = await readSingleRecord(request);
    const accepted = await submitRecord(await getLedger(), jws);
    return json({ entryHash: accepted.entryHash, acceptedAt: accepted.acceptedAt.toISOString() }, { status: 201 });
  });
}
