import { listAnchorHistory } from "@/lib/admin/anchor-history";
import { adminRoute } from "@/lib/server/admin-gates";
import { serializeAnchorHistoryRow } from "@/lib/admin/serialize";
import { latestActiveAlarm } from "@/lib/chain/anchoring/alarms";
import { intParam, json } from "@/lib/http/request";

export const dynamic = "force-dynamic";

/** Anchoring history, newest block first (`?before=HEIGHT&limit=`), with the active chain alarm. */
export const GET = adminRoute("read", async ({ request, ledger, settings }) => {
  const url = new URL(request.url);
  const rows = await listAnchorHistory(ledger.db, { beforeHeight: intParam(url, "before", undefined, 1, 2 ** 31 - 1), limit: intParam(url, "limit", 50, 1, 500) });
  const alarm = await latestActiveAlarm(ledger.db);
  return json({
    alarm: alarm ? { ...alarm, raisedAt: alarm.raisedAt.toISOString() } : null,
    anchors: rows.map((r) => serializeAnchorHistoryRow(r, settings.explorerUrl)),
    nextBefore: rows.length > 0 ? rows[rows.length - 1].height : null,
  });
});
