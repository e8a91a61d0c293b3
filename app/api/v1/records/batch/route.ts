import { answerBatchSubmission } from "@/lib/http/acceptance";
import { answerProblems } from "@/lib/http/problem";
import { readRecordBatch } from "@/lib/http/records";
import { requestSlots } from "@/lib/http/request-slots";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/**
 * Submits up to 1,000 signed records (at most BATCH_MAX_BYTES); each is accepted (with its
 * receipt) or rejected on its own. At most BATCH_MAX_CONCURRENT batches are read and checked at once.
 */
export async function POST(request: Request): Promise<Response> {
  return answerProblems(async () => {
    const runtime = await getRuntime();
    const { BATCH_MAX_BYTES, BATCH_MAX_CONCURRENT } = runtime.config;
    return requestSlots("batch submissions", BATCH_MAX_CONCURRENT).run(async () => answerBatchSubmission(runtime, await readRecordBatch(request, BATCH_MAX_BYTES)));
  });
}
