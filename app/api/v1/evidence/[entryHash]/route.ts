import { publicEvidenceResponse } from "@/lib/http/evidence-response";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** The public evidence bundle of a sealed, anchored entry (PROTOCOL §8, without the JWS). */
export async function GET(_request: Request, context: { params: Promise<{ entryHash: string }> }): Promise<Response> {
  return publicEvidenceResponse(getRuntime, (await context.params).entryHash);
}
