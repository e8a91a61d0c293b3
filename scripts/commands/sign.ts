import { readFile } from "node:fs/promises";
import { readConfig } from "../../lib/config";
import { readHead } from "../../lib/ledger/head";
import { isHash, type Hash } from "../../lib/protocol/hex";
import { recordPayloadSchema } from "../../lib/protocol/record";
import { newRecordId, signRecord } from "../../lib/protocol/sign";
import { CliError, type Command } from "../cli-kit";
import { withLedger } from "./with-ledger";
import { commandSpec } from "./specs";

/** Asks the running ledger for its head root; falls back to reading the database. */
async function currentHeadRoot(ledgerUrl: string): Promise<Hash> {
  try {
    const response = await fetch(new URL("/api/v1/ledger", ledgerUrl), { signal: AbortSignal.timeout(5000) });
    if (response.ok) {
      const status = (await response.json()) as { head: { root: string } };
      if (isHash(status.head.root)) return status.head.root;
    }
  } catch {
    // Not running: read the database below.
  }
  return withLedger(async (ledger) => (await readHead(ledger.db, ledger.genesisRoot)).root);
}

export const sign: Command = {
  ...commandSpec("sign"),
  async run({ values }) {
    if (!values.key || !values.kind || !values.body) throw new CliError("--key, --kind and --body are required.");
    const privateJwk = JSON.parse(await readFile(values.key as string, "utf8"));
    let body: unknown;
    try {
      body = JSON.parse(await readFile(values.body as string, "utf8"));
    } catch (error) {
      throw new CliError(`--body must be a file holding a JSON object: ${(error as Error).message}`);
    }
    const ledgerUrl = (values.ledger as string) ?? `http://localhost:${readConfig().PORT}`;
    const prevRoot = (values["prev-root"] as string | undefined) ?? (await currentHeadRoot(ledgerUrl));
    const payload = { id: (values.id as string) ?? newRecordId(), kind: values.kind, prevRoot, createdAt: new Date().toISOString(), body };
    const checked = recordPayloadSchema.safeParse(payload);
    if (!checked.success) throw new CliError(`The record would be rejected: ${checked.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const { kid: _kid, alg: _alg, ...jwk } = privateJwk;
    console.log(await signRecord(jwk, payload));
  },
};
