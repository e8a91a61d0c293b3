import { listSigners } from "@/lib/ledger/signers/signers";
import { answerProblems } from "@/lib/http/problem";
import { json, SHORT_LIVED } from "@/lib/http/request";
import { serializeSigner } from "@/lib/http/serialize";
import { getLedger } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

/** The public signer directory: every key, its status and validity. */
export async function GET(): Promise<Response> {
  return answerProblems(async () => {
    const signers = await listSigners(await getLedger());
    return json({ signers: signers.map(serializeSigner) }, { cacheControl: SHORT_LIVED });
  });
}
