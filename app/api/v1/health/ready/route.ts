import { readyResponse } from "@/lib/server/readiness";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** Readiness: 200 when the database answers with every migration applied, 503 otherwise or while starting or stopping. (`npm start` answers it before Next.js.) */
export async function GET(): Promise<Response> {
  return readyResponse(async () => (await getLedger()).db);
}
