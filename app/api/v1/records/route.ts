import { answerSubmission } from "@/lib/http/acceptance";
import { answerProblems } from "@/lib/http/problem";
import { readSingleRecord } from "@/lib/http/records";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** Submits one signed record (PROTOCOL §1). 201 with its entry hash and acceptance receipt (§6), or problem+json. */
export async function POST(request: Request): Promise<Response> {
  return answerProblems(async () => answerSubmission(await getRuntime(), await readSingleRecord(request)));
}
