import { postRecordBatch } from "@/lib/http/acceptance";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/**
 * Submits up to 1,000 signed records (at most BATCH_MAX_BYTES); each is accepted (with its
 * receipt) or rejected on its own. At most BATCH_MAX_CONCURRENT batches are read and checked at once.
 */
export async function POST(request: Request): Promise<Response> {
  return postRecordBatch(getRuntime, request);
}
