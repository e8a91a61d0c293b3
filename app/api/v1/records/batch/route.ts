import { answerBatchSubmission } from "@/lib/http/acceptance";
import { answerProblems } from "@/lib/http/problem";
import { readRecordBatch } from "@/lib/http/records";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** Submits up to 1,000 signed records; each is accepted (with its receipt) or rejected on its own. */
export async function POST(request: Request): Promise<Response> {
  return answerProblems(async () => answerBatchSubmission(await getRuntime(), await readRecordBatch(request)));
}
