import { getDashboard } from "@/lib/admin/dashboard";
import { adminRoute } from "@/lib/server/admin-gates";
import { serializeDashboard } from "@/lib/admin/serialize";
import { json } from "@/lib/http/request";

export const dynamic = "force-dynamic";

/** The dashboard's figures: pending entries, head, anchoring lag and job state, chain, anchorer balance. */
export const GET = adminRoute("read", async ({ runtime }) => json(serializeDashboard(await getDashboard(runtime))));
