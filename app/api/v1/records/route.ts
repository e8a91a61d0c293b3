import { postRecord } from "@/lib/http/acceptance";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** Submits one signed record (PROTOCOL §1). 201 with its entry hash and acceptance receipt (§6), or problem+json. */
export async function POST(request: Request): Promise<Response> {
  return postRecord(getRuntime, request);
}
