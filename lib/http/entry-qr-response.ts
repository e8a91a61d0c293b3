import { getEntryStatus } from "../ledger/reads";
import { readThrough, type Runtime } from "../ledger/runtime";
import { entryPageUrl } from "../portal/entry-links";
import { qrCodeSvg } from "../portal/entry-qr";
import { ProtocolError } from "../protocol/errors";
import { parseEntryHash } from "./params";
import { answerProblems } from "./problem";
import { IMMUTABLE } from "./request";

/**
 * The answer of `GET /entries/{entryHash}/qr.svg`: the QR code of the entry's public page on
 * `origin`, as an SVG a clinic's software can print. 400 for a malformed hash, 404 for an entry
 * this ledger never accepted (a wrong hash is caught before it is printed); pending and sealed
 * entries alike get their code, since a clinic prints it as soon as the record is accepted. The
 * image depends only on the hash and the origin, so it is cached for a year as `immutable`.
 */
export async function entryQrResponse(runtime: () => Promise<Pick<Runtime, "ledger" | "reads">>, entryHashParam: string, origin: string): Promise<Response> {
  return answerProblems(async () => {
    const entryHash = parseEntryHash(entryHashParam);
    // A replica that has not replayed the acceptance yet answers unknown: the primary then answers.
    const status = await readThrough(await runtime(), (ledger) => getEntryStatus(ledger, entryHash), (s) => s !== null);
    if (!status) {
      throw new ProtocolError("not_found", `No record with entry hash ${entryHash} was accepted by this ledger, so it has no QR code. Check the hash in the acceptance receipt.`, { entryHash });
    }
    return new Response(await qrCodeSvg(entryPageUrl(origin, entryHash)), {
      headers: { "content-type": "image/svg+xml; charset=utf-8", "cache-control": IMMUTABLE },
    });
  });
}
