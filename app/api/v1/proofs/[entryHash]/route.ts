import { proofResponse } from "@/lib/http/proof-response";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** The proof bundle of an entry (PROTOCOL §5): 200 sealed, 202 pending, 404 unknown. */
export async function GET(_request: Request, context: { params: Promise<{ entryHash: string }> }): Promise<Response> {
  return proofResponse(getRuntime, (await context.params).entryHash);
}
