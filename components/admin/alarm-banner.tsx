import Link from "next/link";
import { DateTime } from "@/components/ui/date-time";
import type { ChainAlarm } from "@/lib/chain/anchoring/alarms";

/** The chain disagrees with the ledger: anchoring has stopped until someone looks. */
export function AlarmBanner({ alarm, showLink = true }: { alarm: ChainAlarm; showLink?: boolean }) {
  return (
    <div role="alert" className="rounded-lg border-2 border-red-700 bg-red-50 p-4 text-red-950">
      <p className="text-lg font-bold">Chain alarm: the chain and the database disagree ({alarm.kind.replaceAll("_", " ")})</p>
      <p className="mt-1">{alarm.message}</p>
      <p className="mt-1 text-sm">
        Raised <DateTime at={alarm.raisedAt} /> for registry <code className="hash">{alarm.registry}</code> on chain {alarm.chainId}
        {alarm.height !== null ? `, at height ${alarm.height}` : ""}. Nothing is anchored there until it is resolved.
      </p>
      {showLink ? (
        <p className="mt-2">
          <Link href="/admin/anchors" className="font-semibold underline">
            See the anchors and re-check the chain
          </Link>
        </p>
      ) : null}
    </div>
  );
}
