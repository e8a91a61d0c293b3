import { publicEvidenceResponse } from "@/lib/http/evidence-response";

export const dynamic = "force-dynamic";

/** The public evidence bundle of a sealed, anchored entry (PROTOCOL §8, without the JWS). */
export async function GET(_request: Request, context: { params: Promise<{ entryHash: string }> }): Promise<Response> {
  return publicEvidenceResponse((await context.params).entryHash);
}
