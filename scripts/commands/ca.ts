import { userInfo } from "node:os";
import { serializeTrustedCa } from "../../lib/admin/serialize";
import { distrustCa, listTrustedCas, revokeSignersOfCa } from "../../lib/ledger/signers/trusted-cas";
import { ProtocolError } from "../../lib/protocol/errors";
import { CliError, type Command } from "../cli-kit";
import { commandSpec } from "./specs";
import { withLedger } from "./with-ledger";

const asCliError = (error: unknown): never => {
  if (error instanceof ProtocolError) throw new CliError(error.message);
  throw error;
};

export const caList: Command = {
  ...commandSpec("ca list"),
  async run({ values }) {
    const centres = await withLedger((ledger) => listTrustedCas(ledger));
    if (values.json) {
      console.log(JSON.stringify(centres.map(serializeTrustedCa)));
      return;
    }
    if (centres.length === 0) console.log("No certification centre is trusted. Trust one in the admin console (Certification centres).");
    for (const c of centres) {
      const state = c.removedAt ? `distrusted ${c.removedAt.toISOString()}` : "trusted";
      console.log(`${String(c.id).padStart(4)}  ${state.padEnd(35)}  ${c.signerCount} signers (${c.activeSignerCount} active)  ${c.subject}`);
    }
  },
};

export const caDistrust: Command = {
  ...commandSpec("ca distrust"),
  async run({ values, positionals }) {
    const id = Number(positionals[0]);
    if (!Number.isInteger(id) || id < 1) throw new CliError("Name the centre's id (see `sealbook ca list`): sealbook ca distrust ID.");
    const by = `cli:${userInfo().username}`;
    const { ca, revoked } = await withLedger(async (ledger) => {
      const ca = await distrustCa(ledger, id, by);
      const revoked = values["revoke-signers"] ? await revokeSignersOfCa(ledger, id, values.reason as string | undefined) : null;
      return { ca, revoked };
    }).catch(asCliError);
    if (values.json) {
      console.log(JSON.stringify({ id: ca.id, subject: ca.subject, distrustedAt: ca.removedAt?.toISOString(), activeSigners: revoked ? 0 : ca.activeSignerCount, revoked }));
      return;
    }
    console.log(`${ca.subject} is no longer trusted (since ${ca.removedAt?.toISOString()}).`);
    if (revoked) console.log(`Revoked ${revoked.length} signer key(s) registered through it.`);
    else if (ca.activeSignerCount > 0) {
      console.log(`${ca.activeSignerCount} signer key(s) registered through it are still active. Revoke them with: sealbook ca distrust ${id} --revoke-signers`);
    }
  },
};
