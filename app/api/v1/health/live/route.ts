import { liveResponse } from "@/lib/server/readiness";

export const dynamic = "force-dynamic";

/** Liveness: 200 whenever the process answers. (`npm start` answers it before Next.js; this serves `next dev`.) */
export function GET(): Response {
  return liveResponse();
}
