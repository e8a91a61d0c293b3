import { getLedgerStatus } from "@/lib/ledger/reads";
import { answerProblems } from "@/lib/http/problem";
import { json, SHORT_LIVED } from "@/lib/http/request";
import { getLedger } from "@/lib/server/runtime";
import { serializeLedgerStatus } from "@/lib/http/serialize";

export const dynamic = "force-dynamic";

/** The ledger at a glance: id, genesis root, head, pending count. */
export async function GET(): Promise<Response> {
  return answerProblems(async () => json(serializeLedgerStatus(await getLedgerStatus(await getLedger())), { cacheControl: SHORT_LIVED }));
}
