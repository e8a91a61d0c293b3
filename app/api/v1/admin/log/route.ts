import { listAdminLog } from "@/lib/admin/admin-log";
import { adminRoute } from "@/lib/server/admin-gates";
import { serializeLogEntry } from "@/lib/admin/serialize";
import { intParam, json } from "@/lib/http/request";

export const dynamic = "force-dynamic";

/** The admin log, newest first (`?before=ID&limit=`). */
export const GET = adminRoute("read", async ({ request, ledger }) => {
  const url = new URL(request.url);
  const entries = await listAdminLog(ledger.db, { beforeId: intParam(url, "before", undefined, 1, Number.MAX_SAFE_INTEGER), limit: intParam(url, "limit", 100, 1, 500) });
  return json({ entries: entries.map(serializeLogEntry), nextBefore: entries.length > 0 ? entries[entries.length - 1].id : null });
});
