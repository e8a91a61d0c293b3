import { getLedgerStatus } from "@/lib/ledger/reads";
import { answerProblems } from "@/lib/http/problem";
import { json, SHORT_LIVED } from "@/lib/http/request";
import { getRuntime } from "@/lib/server/runtime";
import { getPublicChainInfo } from "@/lib/chain/chain-info";
import { serializeLedgerStatus } from "@/lib/http/serialize";

export const dynamic = "force-dynamic";

/** The ledger at a glance: id, genesis root, head, pending count, anchored height, and where it is anchored. */
export async function GET(): Promise<Response> {
  return answerProblems(async () => {
    const { config, ledger } = await getRuntime();
    const [status, chain] = await Promise.all([getLedgerStatus(ledger), getPublicChainInfo(config)]);
    return json(serializeLedgerStatus(status, chain), { cacheControl: SHORT_LIVED });
  });
}
