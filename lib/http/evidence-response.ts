import { evidenceChunks, planEvidence } from "../ledger/evidence";
import { evidenceReceiptIssuer } from "../chain/evidence-receipts";
import { ProtocolError } from "../protocol/errors";
import { EVIDENCE_MEDIA_TYPE, evidenceFileName } from "../protocol/evidence";
import type { Runtime } from "../ledger/runtime";
import { parseEntryHash } from "./params";
import { answerProblems } from "./problem";

/**
 * The answer of `GET /api/v1/evidence/{entryHash}`: the public evidence bundle (PROTOCOL §8, no
 * JWS) of one sealed and anchored entry, as a download. 404 `not_found` for an unknown entry, and
 * for one not sealed in an anchored block yet (the detail says which).
 */
export async function publicEvidenceResponse(runtime: () => Promise<Pick<Runtime, "ledger" | "config">>, entryHashParam: string): Promise<Response> {
  return answerProblems(async () => {
    const entryHash = parseEntryHash(entryHashParam);
    const { config, ledger } = await runtime();
    const plan = await planEvidence(ledger, { by: "entries", entryHashes: [entryHash] });
    if (plan.found === 0) throw new ProtocolError("not_found", `No record with entry hash ${entryHash} was accepted by this ledger.`, { entryHash });
    if (plan.included === 0) {
      const why = plan.pending ? "it is not sealed in a block yet" : "its block is not anchored on the blockchain yet";
      throw new ProtocolError("not_found", `There is no evidence bundle for entry ${entryHash} yet: ${why}. Try again later.`, { entryHash });
    }
    const { issuer } = await evidenceReceiptIssuer(config);
    let text = "";
    for await (const chunk of evidenceChunks(ledger, plan, { public: true, receipts: issuer })) text += chunk;
    return new Response(text, {
      headers: {
        "content-type": EVIDENCE_MEDIA_TYPE,
        "content-disposition": `attachment; filename="${evidenceFileName(`evidence-${entryHash.slice(0, 18)}`)}"`,
        "cache-control": "public, max-age=60",
      },
    });
  });
}
