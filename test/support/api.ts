import type { DatabaseHandle } from "../../db/client";
import { readConfig } from "../../lib/config";
import type { LedgerContext } from "../../lib/ledger/context";
import { installRuntime } from "../../lib/server/runtime";
import * as recordsRoute from "../../app/api/v1/records/route";
import * as batchRoute from "../../app/api/v1/records/batch/route";
import * as ledgerRoute from "../../app/api/v1/ledger/route";
import * as blocksRoute from "../../app/api/v1/blocks/route";
import * as blockRoute from "../../app/api/v1/blocks/[height]/route";
import * as entriesRoute from "../../app/api/v1/blocks/[height]/entries/route";
import * as proofsRoute from "../../app/api/v1/proofs/[entryHash]/route";
import * as signersRoute from "../../app/api/v1/signers/route";

/** Makes the route handlers answer from this ledger, as the server's runtime does. */
export function useLedgerForRoutes(handle: DatabaseHandle, ledger: LedgerContext): void {
  installRuntime({ config: readConfig({ LEDGER_ID: ledger.ledgerId }), handle, ledger });
}

const base = "http://localhost/api/v1";

/** Calls the route handlers directly with real Request objects. */
export const api = {
  postRecord: (body: string, contentType = "application/jose") =>
    recordsRoute.POST(new Request(`${base}/records`, { method: "POST", body, headers: { "content-type": contentType } })),
  postBatch: (body: string, contentType = "application/json") =>
    batchRoute.POST(new Request(`${base}/records/batch`, { method: "POST", body, headers: { "content-type": contentType } })),
  ledger: () => ledgerRoute.GET(),
  signers: () => signersRoute.GET(),
  blocks: (query = "") => blocksRoute.GET(new Request(`${base}/blocks${query}`)),
  block: (height: string | number) => blockRoute.GET(new Request(`${base}/blocks/${height}`), { params: Promise.resolve({ height: String(height) }) }),
  entries: (height: string | number, query = "") =>
    entriesRoute.GET(new Request(`${base}/blocks/${height}/entries${query}`), { params: Promise.resolve({ height: String(height) }) }),
  proof: (entryHash: string) =>
    proofsRoute.GET(new Request(`${base}/proofs/${entryHash}`), { params: Promise.resolve({ entryHash }) }),
};
